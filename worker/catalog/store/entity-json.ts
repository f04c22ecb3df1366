/**
 * The SQL expression that renders one stored entity as the JSON Backstage serves: the body as written,
 * plus its relations (both halves, whoever emitted them) and, when processing failed for it, status.items.
 * Built in SQL so a read is one query and the JSON reaches the response without a parse/serialize round.
 */

// json(...) around scalar subqueries: SQLite drops the JSON subtype through a subquery, and without it
// json_set would embed the array as a string.
const RELATIONS = `json((SELECT json_group_array(json_object('type', type, 'targetRef', target_ref))
  FROM (SELECT DISTINCT type, target_ref FROM relations WHERE source_ref = e.ref ORDER BY type, target_ref)))`;

const STATUS = `json_object('items', json((SELECT json_group_array(json_object(
    'type', 'backstage.io/catalog-processing', 'level', 'error',
    'message', pe.name || ': ' || pe.message,
    'error', json_object('name', pe.name, 'message', pe.message)))
  FROM processing_errors pe WHERE pe.entity_ref = e.ref)))`;

/** Selects the entity JSON of row alias `e` as column `json`. */
export const ENTITY_JSON = `CASE WHEN EXISTS (SELECT 1 FROM processing_errors pe WHERE pe.entity_ref = e.ref)
  THEN json_set(e.body, '$.relations', ${RELATIONS}, '$.status', ${STATUS})
  ELSE json_set(e.body, '$.relations', ${RELATIONS}) END AS json`;
