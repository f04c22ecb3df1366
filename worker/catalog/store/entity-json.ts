/**
 * The SQL expression that renders one stored entity as the JSON Backstage serves: the body as written,
 * plus its stored relations (entities.relations_json, kept by the writes that change them) and, when
 * processing failed for it, status.items. Built in SQL so a read is one query and the JSON reaches the
 * response without a parse/serialize round.
 */

// json(...) around the subquery: SQLite drops the JSON subtype through a subquery, and json_object would
// otherwise embed the array as a string.
// A plugin's problem (migration 0016) is the same item plus the plugin's id, so Backstage clients list it with
// the processing errors and the portal can name where it came from.
const ITEM = `json_object('type', 'backstage.io/catalog-processing', 'level', 'error',
    'message', pe.name || ': ' || pe.message,
    'error', json_object('name', pe.name, 'message', pe.message))`;
const STATUS = `json_object('items', json((SELECT json_group_array(
    CASE WHEN pe.plugin_id IS NULL THEN ${ITEM} ELSE json_insert(${ITEM}, '$.plugin', pe.plugin_id) END)
  FROM processing_errors pe WHERE pe.entity_ref = e.ref)))`;

// The body is always a JSON.stringify'd object (it ends with "}"), so relations and status are spliced in
// as text: json_set would parse and re-serialize every body, which dominated pages and by-refs.
const OPEN_BODY = "substr(e.body, 1, length(e.body) - 1)";

/** The entity JSON of row alias `e`, as an expression. */
export const ENTITY_JSON_EXPR = `CASE WHEN EXISTS (SELECT 1 FROM processing_errors pe WHERE pe.entity_ref = e.ref)
  THEN ${OPEN_BODY} || ',"relations":' || e.relations_json || ',"status":' || ${STATUS} || '}'
  ELSE ${OPEN_BODY} || ',"relations":' || e.relations_json || '}' END`;

/** Selects the entity JSON of row alias `e` as column `json`. */
export const ENTITY_JSON = `${ENTITY_JSON_EXPR} AS json`;
