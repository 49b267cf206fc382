// The outlet desk: the orders of the reader's outlets (drafts, private, embargoed, public), newest first,
// each with what needs doing: redaction proposals awaiting a decision, documents that failed (with the
// reason and a button to read them again), documents still being read, a deadline that is near or passed.
import type { DeskOrder } from '../../records/deskRecords.ts';
import { shortAuthorityWords, vocabularyWords } from '../orderWords.ts';
import type { PageContext } from '../pageContext.ts';
import { DocumentProgress } from './deskParts.tsx';
import { Layout } from './layout.tsx';
import { renderDocument } from './render.ts';

export interface DeskPage {
  orders: DeskOrder[];
  nextCursor: string | null;
  /** The order just saved, for the notice at the top. */
  saved: string | null;
  now: Date;
}

const SOON_DAYS = 7;

export function renderDeskPage(ctx: PageContext, page: DeskPage): string {
  return renderDocument(<DeskView ctx={ctx} page={page} />);
}

function DeskView({ ctx, page }: { ctx: PageContext; page: DeskPage }) {
  const { t } = ctx.messages;
  return (
    <Layout ctx={ctx} title={t('desk.title')}>
      <h1>{t('desk.title')}</h1>
      {page.saved && (
        <p class="notice" role="status">
          {t('desk.saved', { id: page.saved })}
        </p>
      )}
      <p>
        {t('desk.intro')} <a href="/upload">{t('desk.upload')}</a>
      </p>
      {page.orders.length === 0 ? (
        <p>{t('desk.empty')}</p>
      ) : (
        <ol class="cards desk-orders">
          {page.orders.map((item) => (
            <DeskCard key={item.order.id} ctx={ctx} item={item} now={page.now} />
          ))}
        </ol>
      )}
      {page.nextCursor && (
        <nav aria-label={t('desk.pages')} class="pagination">
          <a href={`/desk?cursor=${page.nextCursor}`}>{t('desk.older')}</a>
        </nav>
      )}
    </Layout>
  );
}

function DeskCard({ ctx, item, now }: { ctx: PageContext; item: DeskOrder; now: Date }) {
  const { t } = ctx.messages;
  const { order } = item;
  const authority = shortAuthorityWords(ctx.messages, order.authority);
  const deadline = order.deadline_at ? new Date(order.deadline_at) : null;
  const open = order.status === 'received';
  const daysLeft = deadline ? Math.ceil((deadline.getTime() - now.getTime()) / 86_400_000) : null;
  const todo: preact.ComponentChildren[] = [];
  if (order.draft) todo.push(<li key="draft">{t('desk.draftTodo')}</li>);
  if (item.undecided_redactions > 0 && item.first_undecided_document !== null) {
    todo.push(
      <li key="redactions">
        <a href={`/desk/documents/${item.first_undecided_document}/redactions`}>
          {t('desk.undecided', { count: item.undecided_redactions })}
        </a>
      </li>,
    );
  }
  if (item.undecided_field_redactions > 0) {
    todo.push(
      <li key="field-redactions">
        <a href={`/desk/orders/${order.id}/redactions`}>
          {t('desk.undecidedInTexts', { count: item.undecided_field_redactions })}
        </a>
      </li>,
    );
  }
  if (open && daysLeft !== null && daysLeft <= SOON_DAYS) {
    todo.push(
      <li key="deadline" class="deadline-near">
        {daysLeft < 0
          ? t('desk.deadlinePassed', { date: ctx.messages.date(order.deadline_at!) })
          : t('desk.deadlineSoon', { days: daysLeft, date: ctx.messages.date(order.deadline_at!) })}
      </li>,
    );
  }
  return (
    <li class="card desk-card">
      <h2 class="card-title">
        <a href={`/desk/orders/${order.id}`}>
          <span class="order-id">{order.id}</span> {authority ?? t('desk.noAuthority')}
        </a>
      </h2>
      <dl class="inline-facts">
        <div>
          <dt>{t('order.visibility')}</dt>
          <dd>
            {order.draft ? `${t('desk.draft')}, ` : ''}
            {order.visibility === 'embargoed' && order.embargo_until
              ? t('order.embargoUntil', { date: ctx.messages.date(order.embargo_until) })
              : vocabularyWords(ctx.messages, 'visibility', order.visibility)}
          </dd>
        </div>
        <div>
          <dt>{t('order.status')}</dt>
          <dd>{vocabularyWords(ctx.messages, 'status', order.status)}</dd>
        </div>
        {order.deadline_at && (
          <div>
            <dt>{t('order.deadline')}</dt>
            <dd>{ctx.messages.date(order.deadline_at)}</dd>
          </div>
        )}
      </dl>
      {todo.length > 0 && (
        <>
          <h3>{t('desk.todo')}</h3>
          <ul class="todo">{todo}</ul>
        </>
      )}
      {(item.failed_documents.length > 0 || item.reading_documents.length > 0) && (
        <DocumentProgress ctx={ctx} documents={[...item.failed_documents, ...item.reading_documents]} />
      )}
      {!order.draft && (
        <p>
          <a href={`/orders/${order.id}`}>{t('desk.orderPage', { id: order.id })}</a>
        </p>
      )}
    </li>
  );
}
