import type { Placed } from '../common/field-index.ts';
import type { Table } from '../common/unit-of-work.ts';
import { page, type ListOptions } from './params.ts';

/** One list endpoint's view of a table: the entity of each stored row, and the filters asked for. */
export interface Listed<Row, Entity> {
  readonly entity: (row: Row) => Entity;
  readonly createdAt: (entity: Entity) => number;
  readonly matches?: (entity: Entity) => boolean;
}

/** How far a table's places are known to be in `created_at` order, and whether they all are. */
interface OrderCheck {
  checked: number;
  latest: number;
  inOrder: boolean;
}

const orderChecks = new WeakMap<object, OrderCheck>();

/**
 * Whether the table's rows were stored in the order their entities were created. Every entity
 * takes `created_at` from the fake's clock, which never goes backwards, and keeps it, so this
 * holds; it is checked, a new place once, and a table that broke it is read the slow way from
 * then on.
 */
function inCreationOrder<Row extends object, Entity>(
  table: Table<Row>,
  rows: Placed<Row>,
  listed: Listed<Row, Entity>,
): boolean {
  let check = orderChecks.get(table);
  if (check === undefined) orderChecks.set(table, (check = { checked: 0, latest: -Infinity, inOrder: true }));
  for (; check.inOrder && check.checked < rows.length; check.checked++) {
    const row = rows.at(check.checked);
    if (row === undefined) continue;
    const createdAt = listed.createdAt(listed.entity(row));
    if (createdAt < check.latest) check.inOrder = false;
    check.latest = createdAt;
  }
  return check.inOrder;
}

/**
 * What {@link page} gives for the table's entities that `matches` keeps, newest first, read from
 * the newest row back only as far as `skip` and `count` go (and no further back than `from`),
 * so a reconciliation job paging through every payment costs its pages, not a sort of them all.
 *
 * @example
 * return pageOfTable(store.refunds, { entity: (record) => record.refund, createdAt: (r) => r.created_at }, options);
 */
export function pageOfTable<Row extends object, Entity>(
  table: Table<Row>,
  listed: Listed<Row, Entity>,
  options: ListOptions,
): { entity: 'collection'; count: number; items: Entity[] } {
  const { entity, createdAt, matches = () => true } = listed;
  const rows = table.placed();
  if (rows === undefined || !inCreationOrder(table, rows, listed))
    return page(table.values().map(entity).filter(matches), createdAt, options);
  const items: Entity[] = [];
  let skipped = 0;
  for (let place = rows.length - 1; place >= 0 && items.length < options.count; place--) {
    const row = rows.at(place);
    if (row === undefined) continue;
    const found = entity(row);
    if (!matches(found)) continue;
    const at = createdAt(found);
    if (options.to !== undefined && at > options.to) continue;
    // Older rows were created no later: none of them is in range.
    if (options.from !== undefined && at < options.from) break;
    if (skipped < options.skip) skipped++;
    else items.push(found);
  }
  return { entity: 'collection', count: items.length, items };
}
