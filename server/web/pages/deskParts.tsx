// Pieces the desk's pages share: a document's reading status (with its progress and, when it failed, the
// reason and a button to read it again).
import type { PageContext } from '../pageContext.ts';
import { vocabularyWords } from '../orderWords.ts';

export interface DocumentState {
  id: number;
  original_filename: string | null;
  status: string;
  status_reason: string | null;
  progress: string | null;
}

export function DocumentProgress({ ctx, documents }: { ctx: PageContext; documents: DocumentState[] }) {
  const { t } = ctx.messages;
  if (documents.length === 0) return <p>{t('order.noDocuments')}</p>;
  return (
    <ul class="plain-list document-states">
      {documents.map((document) => (
        <li key={document.id} data-document-id={document.id}>
          <span class="document-name">
            {document.original_filename ?? t('desk.documentNumber', { id: document.id })}
          </span>
          {': '}
          <span class={`document-status status-${document.status}`} data-status={document.status}>
            {vocabularyWords(ctx.messages, 'docStatus', document.status)}
          </span>
          {document.progress && document.status === 'processing' && (
            <span class="document-progress"> ({document.progress})</span>
          )}
          {document.status === 'failed' && (
            <>
              {document.status_reason && <span class="document-reason"> — {document.status_reason}</span>}{' '}
              <ReprocessButton ctx={ctx} documentId={document.id} />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function ReprocessButton({ ctx, documentId }: { ctx: PageContext; documentId: number }) {
  return (
    <form action={`/desk/documents/${documentId}/reprocess`} method="post" class="inline-form">
      {ctx.csrfToken && <input type="hidden" name="_csrf" value={ctx.csrfToken} />}
      <input type="hidden" name="next" value={ctx.path} />
      <button type="submit" class="small-button">
        {ctx.messages.t('desk.reprocess')}
      </button>
    </form>
  );
}
