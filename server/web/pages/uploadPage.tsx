// The upload page: one multipart form (the CSRF token first, so it is checked before any file is stored).
// Without JavaScript it is posted as it is; with it, enhance.js adds dragging files in and a progress bar
// per file, and posts the same form.
import type { Outlet } from '../../schemas/references.ts';
import type { PageContext } from '../pageContext.ts';
import { CsrfField, FieldFrame, problemOf } from './formParts.tsx';
import { ErrorSummary, Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface UploadForm {
  /** The outlet chosen (id), when the person belongs to several. */
  outlet: string;
  problems: { field: 'files' | 'outlet'; message: string }[];
}

export function renderUploadPage(ctx: PageContext, form: UploadForm & { outlets: Outlet[] }): string {
  return renderDocument(<UploadPage ctx={ctx} form={form} />);
}

function UploadPage({ ctx, form }: { ctx: PageContext; form: UploadForm & { outlets: Outlet[] } }) {
  const { t } = ctx.messages;
  const filesProblem = problemOf(form.problems, 'files');
  return (
    <Layout ctx={ctx} title={t('upload.title')}>
      <div class="narrow">
        <ErrorSummary ctx={ctx} problems={form.problems} />
        <h1>{t('upload.title')}</h1>
        <p>{t('upload.intro')}</p>
        <form
          action="/upload"
          method="post"
          enctype="multipart/form-data"
          class="upload-form"
          data-uploading-label={t('upload.uploading')}
          data-failed-label={t('upload.failed')}
          novalidate
        >
          <CsrfField ctx={ctx} />
          {form.outlets.length > 1 && (
            <FieldFrame id="outlet" label={t('upload.outlet')} problems={form.problems}>
              {(described, invalid) => (
                <select id="outlet" name="outlet" aria-invalid={invalid} aria-describedby={described}>
                  <option value="">{t('upload.chooseOutletOption')}</option>
                  {form.outlets.map((outlet) => (
                    <option
                      key={outlet.id}
                      value={String(outlet.id)}
                      selected={form.outlet === String(outlet.id)}
                    >
                      {outlet.name}
                    </option>
                  ))}
                </select>
              )}
            </FieldFrame>
          )}
          <div class={filesProblem ? 'field field-error drop-zone' : 'field drop-zone'}>
            <label for="files" class="label">
              {t('upload.files')}
            </label>
            <p id="files-hint" class="hint">
              {t('upload.filesHint')}
            </p>
            {filesProblem && (
              <p id="files-error" class="error-message">
                {filesProblem}
              </p>
            )}
            <input
              id="files"
              name="file"
              type="file"
              multiple
              aria-invalid={filesProblem ? 'true' : undefined}
              aria-describedby={filesProblem ? 'files-hint files-error' : 'files-hint'}
            />
            <p class="drop-hint" hidden>
              {t('upload.dropHint')}
            </p>
          </div>
          <ul class="upload-progress plain-list" aria-live="polite"></ul>
          <button type="submit">{t('upload.submit')}</button>
        </form>
      </div>
    </Layout>
  );
}
