/** About: description, ownership, system/domain, links, source (view/edit), last commit and provenance. */
import { For, type JSX, Show } from "solid-js";
import type { RelatedMap } from "../lib/create-related";
import { displayName, resolveRef } from "../lib/entity-ref";
import { commitUrl, isSafeUrl, locationUrl } from "../lib/links";
import { targetsOf } from "../lib/relations";
import { exactTime, relativeTime, shortSha } from "../lib/time";
import type { EntityInfo } from "../../../contract/catalog-api";
import type { Entity } from "../../../contract/entity";
import { Card } from "./Card";
import { EntityRefLink } from "./EntityRefLink";
import { Icon } from "./Icon";
import { Skeleton } from "./Skeleton";

export function AboutCard(props: { entity: Entity; info: EntityInfo | null | undefined; infoLoading: boolean; related?: RelatedMap }): JSX.Element {
  const titleOf = (ref: string | undefined) => {
    const e = ref ? props.related?.get(ref) : undefined;
    return e ? displayName(e) : undefined;
  };
  const e = () => props.entity;
  const ns = () => e().metadata.namespace ?? "default";
  const ann = () => e().metadata.annotations ?? {};
  const owner = () => resolveRef(e().spec?.owner, "group", ns());
  const system = () => resolveRef(e().spec?.system, "system", ns());
  const domain = () => resolveRef(e().spec?.domain, "domain", ns()) ?? targetsOf(e().relations, "partOf").find((r) => r.startsWith("domain:"));
  const parent = () => targetsOf(e().relations, "childOf")[0];
  const profile = () => (e().spec?.profile ?? {}) as { email?: unknown; displayName?: unknown };
  const viewUrl = () => (isSafeUrl(ann()["backstage.io/view-url"]) ? ann()["backstage.io/view-url"] : undefined);
  const editUrl = () => (isSafeUrl(ann()["backstage.io/edit-url"]) ? ann()["backstage.io/edit-url"] : undefined);
  const sourceUrl = () => locationUrl(ann()["backstage.io/source-location"]);
  const prov = () => props.info?.provenance ?? null;
  const commitLink = () => commitUrl(props.info?.locationKey ?? ann()["backstage.io/managed-by-location"], prov()?.commitSha, prov()?.repo ?? undefined);
  // The commit time is epoch ms in the API (contract/catalog-api.ts Provenance); the file's update time is ISO.
  const committedAt = () => {
    const t = prov()?.committedAt;
    return typeof t === "number" && Number.isFinite(t) ? new Date(t).toISOString() : props.info?.updatedAt;
  };
  const links = () => (e().metadata.links ?? []).filter((l) => isSafeUrl(l.url));

  return (
    <Card
      title="About"
      id="about"
      class="about-card"
      actions={
        <>
          <Show when={viewUrl()}>
            <a class="button button-ghost" href={viewUrl()} target="_blank" rel="noreferrer">
              <Icon name="code" size={15} /> View source
            </a>
          </Show>
          <Show when={editUrl()}>
            <a class="button button-ghost" href={editUrl()} target="_blank" rel="noreferrer">
              <Icon name="edit" size={15} /> Edit
            </a>
          </Show>
        </>
      }
    >
      <p class="about-description">{e().metadata.description || <span class="muted">No description. Add metadata.description to the entity's YAML.</span>}</p>
      <dl class="about-grid">
        <Show when={owner()}>
          <div>
            <dt>Owner</dt>
            <dd>
              <EntityRefLink entityRef={owner()!} showKind title={titleOf(owner())} />
            </dd>
          </div>
        </Show>
        <Show when={system()}>
          <div>
            <dt>System</dt>
            <dd>
              <EntityRefLink entityRef={system()!} title={titleOf(system())} />
            </dd>
          </div>
        </Show>
        <Show when={domain()}>
          <div>
            <dt>Domain</dt>
            <dd>
              <EntityRefLink entityRef={domain()!} title={titleOf(domain())} />
            </dd>
          </div>
        </Show>
        <Show when={parent()}>
          <div>
            <dt>Parent group</dt>
            <dd>
              <EntityRefLink entityRef={parent()!} title={titleOf(parent())} />
            </dd>
          </div>
        </Show>
        <Show when={typeof profile().email === "string"}>
          <div>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${String(profile().email)}`}>{String(profile().email)}</a>
            </dd>
          </div>
        </Show>
        <div>
          <dt>Last change</dt>
          <dd>
            <Show when={!props.infoLoading} fallback={<Skeleton width="10rem" />}>
              <Show when={prov()?.commitSha || props.info?.updatedAt} fallback={<span class="muted">Unknown</span>}>
                <span class="commit-line">
                  <Show when={prov()?.commitSha}>
                    <Icon name="commit" size={15} />
                    <Show when={commitLink()} fallback={<code>{shortSha(prov()!.commitSha)}</code>}>
                      <a href={commitLink()} target="_blank" rel="noreferrer">
                        <code>{shortSha(prov()!.commitSha)}</code>
                      </a>
                    </Show>
                  </Show>
                  <Show when={prov()?.actor}>
                    <span>by {prov()!.actor}</span>
                  </Show>
                  <Show when={committedAt()}>
                    <time datetime={committedAt()!} title={exactTime(committedAt())}>
                      {relativeTime(committedAt())}
                    </time>
                  </Show>
                </span>
              </Show>
            </Show>
          </dd>
        </div>
        <Show when={props.info?.locationKey || ann()["backstage.io/managed-by-location"]}>
          <div class="about-wide">
            <dt>Defined in</dt>
            <dd class="about-location">
              <Show when={locationUrl(props.info?.locationKey ?? ann()["backstage.io/managed-by-location"])} fallback={<code>{props.info?.locationKey ?? ann()["backstage.io/managed-by-location"]}</code>}>
                {(url) => (
                  <a href={url()} target="_blank" rel="noreferrer">
                    {prov()?.path ?? url().replace(/^https?:\/\//, "")}
                  </a>
                )}
              </Show>
            </dd>
          </div>
        </Show>
        <Show when={sourceUrl() && sourceUrl() !== viewUrl()}>
          <div class="about-wide">
            <dt>Source</dt>
            <dd class="about-location">
              <a href={sourceUrl()} target="_blank" rel="noreferrer">
                {sourceUrl()!.replace(/^https?:\/\//, "")}
              </a>
            </dd>
          </div>
        </Show>
      </dl>
      <Show when={links().length > 0}>
        <h3 class="about-subtitle">Links</h3>
        <ul class="link-list">
          <For each={links()}>
            {(l) => (
              <li>
                <a href={l.url} target="_blank" rel="noreferrer">
                  <Icon name="link" size={14} /> {l.title || l.url}
                  <Icon name="external" size={12} class="link-external" />
                </a>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Card>
  );
}
