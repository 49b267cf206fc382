// Types of eslint.boundaries.js, for the test that proves its rules bite.
import type { Linter } from 'eslint';

export declare const importBoundaries: Linter.Config[];
