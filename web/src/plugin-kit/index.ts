/**
 * The portal's public web API for plugins: the only web/src module plugin code (plugins/<id>/web/**) imports.
 * Components get `{ api }` (and `{ entity }` on entity pages) from the portal; these are the pieces to build
 * them with, so a plugin looks like the rest of the portal without reaching into web/src/components.
 * Anything not exported here is internal and may change.
 */
export { createPluginApi, pluginPath } from "./api";
export { ApiError, isApiError, isNotFound } from "../api/request";

// Layout and states
export { Card } from "../components/Card";
export { EmptyState } from "../components/EmptyState";
export { ErrorState } from "../components/ErrorState";
export { Skeleton, SkeletonLines } from "../components/Skeleton";
export { PageSkeleton } from "../components/PageSkeleton";
export { Icon } from "../components/Icon";

// Entities
export { EntityRefLink } from "../components/EntityRefLink";
export { KindBadge } from "../components/KindBadge";
export { displayName, entityPath, entityPathOf, entityRefOf, humanizeRef, resolveRef } from "../lib/entity-ref";
export { DEFAULT_NAMESPACE, parseEntityRef, stringifyEntityRef, tryParseEntityRef } from "../../../contract/entity-ref";

// Content
export { Markdown, renderMarkdown } from "../components/Markdown";
export { createData, type Data } from "../lib/create-data";
export { createAfterPaint } from "./after-paint";
export { exactTime, relativeTime } from "./time";

// Contract types plugin components are written against
export type { PluginEntityProps, PluginPageProps, WebPlugin, WebPluginApi } from "../../../contract/plugin-web";
export type { Entity, PartialEntity, EntityRelation, CompoundEntityRef } from "../../../contract/entity";
export type { QueryEntitiesResponse } from "../../../contract/catalog-api";
