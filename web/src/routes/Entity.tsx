/**
 * `/catalog/:namespace/:kind/:name`: one entity. The header renders as soon as the entity arrives;
 * provenance, relations, per-kind cards, the graph, plugin tabs and the YAML load independently.
 */
import { createAsync, type RouteDefinition, useLocation, useParams } from "@solidjs/router";
import { createMemo, For, type JSX, Match, Show, Suspense, Switch } from "solid-js";
import { getEntity } from "../api/entities";
import { getEntityInfo } from "../api/entity-info";
import { isNotFound } from "../api/request";
import { AboutCard } from "../components/AboutCard";
import { Card } from "../components/Card";
import { ChangeHistory } from "../components/ChangeHistory";
import { EntityHeader } from "../components/EntityHeader";
import { EntityNotFound } from "../components/EntityNotFound";
import { EntityQueryCard } from "../components/EntityQueryCard";
import { EntityTabs, type TabDef } from "../components/EntityTabs";
import { GraphCard } from "../components/GraphCard";
import { PageSkeleton } from "../components/PageSkeleton";
import { ProcessingErrorsBanner } from "../components/ProcessingErrorsBanner";
import { RefListCard } from "../components/RefListCard";
import { RelationsCard } from "../components/RelationsCard";
import { Skeleton } from "../components/Skeleton";
import { lazyView } from "../components/LazyView";
import { createAfterPaint } from "../lib/after-paint";
import { createData, type Data } from "../lib/create-data";
import { createRelated, type RelatedMap } from "../lib/create-related";
import { entityRefOf } from "../lib/entity-ref";
import type { EntityInfo } from "../../../contract/catalog-api";
import type { Entity } from "../../../contract/entity";
import type { PluginEntityCard } from "../../../contract/plugin";
import { pluginApiFor } from "../plugin-host/plugin-api";
import { PluginSlot } from "../plugin-host/PluginSlot";
import { type EntitySlot, entityCardSlots, entityTabSlots, replacedCoreCards } from "../plugin-host/slots";
import { WEB_PLUGINS } from "../plugins";
import { preloadEntity } from "./entity-preload";

const YamlView = lazyView(() => import("../components/YamlView"));

function KindCards(props: { entity: Entity; related: RelatedMap | undefined; replaced: ReadonlySet<string> }): JSX.Element {
  const ref = () => entityRefOf(props.entity);
  const kind = () => props.entity.kind.toLowerCase();
  return (
    <Switch>
      <Match when={kind() === "group"}>
        <RefListCard title="Members" id="members" entity={props.entity} types={["hasMember"]} related={props.related} empty="No members" showKind={false} />
        <RefListCard title="Child groups" id="children" entity={props.entity} types={["parentOf"]} related={props.related} empty="No child groups" showKind={false} />
        <EntityQueryCard title="Owned entities" id="owned" filter={`relations.ownedby=${ref()}`} empty="This group owns nothing yet" wide />
      </Match>
      <Match when={kind() === "user"}>
        <RefListCard title="Groups" id="groups" entity={props.entity} types={["memberOf"]} related={props.related} empty="Not a member of any group" showKind={false} />
        <EntityQueryCard title="Owned entities" id="owned" filter={`relations.ownedby=${ref()}`} empty="This user owns nothing directly" wide />
      </Match>
      <Match when={kind() === "system"}>
        <EntityQueryCard title="Components" id="components" filter={`relations.partof=${ref()}`} kinds={["component"]} empty="No components in this system" />
        <EntityQueryCard title="APIs" id="apis" filter={`relations.partof=${ref()}`} kinds={["api"]} empty="No APIs in this system" />
        <EntityQueryCard title="Resources" id="resources" filter={`relations.partof=${ref()}`} kinds={["resource"]} empty="No resources in this system" />
      </Match>
      <Match when={kind() === "domain"}>
        <EntityQueryCard title="Systems" id="systems" filter={`kind=system,relations.partof=${ref()}`} empty="No systems in this domain" />
      </Match>
      <Match when={kind() === "component" && !props.replaced.has("apis")}>
        <RefListCard title="APIs" id="apis" entity={props.entity} types={["providesApi", "consumesApi"]} related={props.related} empty="Provides and consumes no APIs" hideWhenEmpty />
      </Match>
      <Match when={kind() === "api"}>
        <RefListCard title="Providers and consumers" id="providers" entity={props.entity} types={["apiProvidedBy", "apiConsumedBy"]} related={props.related} empty="No component provides or consumes this API" hideWhenEmpty />
      </Match>
    </Switch>
  );
}

/** Cards plugins add to the overview, where their `when` predicate holds; each in its own boundary. */
function PluginCards(props: { entity: Entity; cards: readonly EntitySlot<PluginEntityCard>[] }): JSX.Element {
  return (
    <Show when={props.cards.length > 0}>
      <div class="entity-grid" data-testid="plugin-cards">
        <For each={props.cards}>
          {(c) => (
            <Card title={c.slot.title} id={`plugin-${c.plugin.manifest.id}-${c.slot.id}`}>
              <PluginSlot plugin={c.plugin} title={c.slot.title} load={c.load} props={{ api: pluginApiFor(c.plugin.manifest.id), entity: props.entity }} />
            </Card>
          )}
        </For>
      </div>
    </Show>
  );
}

function Overview(props: { entity: Entity; info: Data<EntityInfo | null> }): JSX.Element {
  const ref = () => entityRefOf(props.entity);
  const related = createRelated(() => props.entity);
  const cards = createMemo(() => entityCardSlots(WEB_PLUGINS, props.entity));
  const replaced = createMemo(() => replacedCoreCards(cards()));
  return (
    <>
      <div class="entity-grid">
        <AboutCard entity={props.entity} info={props.info.value()} infoLoading={props.info.value() === undefined && props.info.loading()} related={related()} />
        <RelationsCard entity={props.entity} related={related()} />
      </div>
      <GraphCard entityRef={ref()} />
      <div class="entity-grid">
        <KindCards entity={props.entity} related={related()} replaced={replaced()} />
      </div>
      <PluginCards entity={props.entity} cards={cards()} />
    </>
  );
}

/** A plugin's problems on the entity are named by the plugin's title. */
const pluginTitle = (id: string) => WEB_PLUGINS.find((p) => p.manifest.id === id)?.manifest.title ?? id;

function EntityView(props: { entity: Entity }): JSX.Element {
  const location = useLocation();
  const params = useParams();
  const ref = () => entityRefOf(props.entity);
  // Provenance is optional: if entity-info fails the page still renders, without the commit line.
  const info = createData(
    () => [params.kind!, params.namespace!, params.name!] as const,
    ([kind, namespace, name]) => getEntityInfo(kind, namespace, name).catch((): EntityInfo | null => null),
  );
  const pluginTabs = createMemo(() => entityTabSlots(WEB_PLUGINS, props.entity));
  const tabs = createMemo<TabDef[]>(() => [
    { id: "overview", label: "Overview", icon: "info" },
    ...pluginTabs().map((t) => ({ id: t.slot.id, label: t.slot.title, icon: t.slot.icon ?? t.plugin.manifest.icon ?? "puzzle" })),
    { id: "history", label: "History", icon: "history" },
    { id: "yaml", label: "YAML", icon: "file" },
  ]);
  const tab = () => {
    const t = new URLSearchParams(location.search).get("tab") ?? "overview";
    return tabs().some((x) => x.id === t) ? t : "overview";
  };
  const activePluginTab = () => pluginTabs().find((t) => t.slot.id === tab());
  const painted = createAfterPaint();

  return (
    <div class="page entity-page">
      <EntityHeader entity={props.entity} />
      <ProcessingErrorsBanner errors={info.value()?.errors ?? []} status={props.entity.status?.items} entityRef={info.value()?.ref} locationKey={info.value()?.locationKey} pluginTitle={pluginTitle} />
      <EntityTabs tabs={tabs()} active={tab()} />
      {/* The header and tabs paint first; the tab's content is built in the next frame (lib/after-paint.ts). */}
      <Show when={painted()}>
        <Switch>
          <Match when={tab() === "overview"}>
            <Overview entity={props.entity} info={info} />
          </Match>
          <Match when={tab() === "history"}>
            <Card title="Change history" id="history">
              <ChangeHistory entityRef={ref()} />
            </Card>
          </Match>
          <Match when={tab() === "yaml"}>
            <Card title="Entity YAML" id="yaml">
              <YamlView entity={props.entity} fallback={<Skeleton height="320px" />} />
            </Card>
          </Match>
        </Switch>
        <Show when={activePluginTab()} keyed>
          {(t) => (
            <section class="plugin-tab" aria-label={t.slot.title} data-testid={`plugin-tab-${t.slot.id}`}>
              <PluginSlot plugin={t.plugin} title={t.slot.title} load={t.load} props={{ api: pluginApiFor(t.plugin.manifest.id), entity: props.entity }} />
            </section>
          )}
        </Show>
      </Show>
    </div>
  );
}

/** Starts the entity read as soon as the route matches. */
export const route = { preload: preloadEntity } satisfies Partial<RouteDefinition>;

export default function EntityPage(): JSX.Element {
  const params = useParams();
  // A 404 becomes `null` (rendered as the not-found page); other errors go to the shell's error boundary.
  const entity = createAsync(() =>
    getEntity(params.kind!, params.namespace!, params.name!).catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    }),
  );
  return (
    <Suspense fallback={<PageSkeleton label="Loading entity…" />}>
      <Show when={entity() !== undefined}>
        <Show when={entity()} keyed fallback={<EntityNotFound kind={params.kind!} namespace={params.namespace!} name={params.name!} />}>
          {(e) => <EntityView entity={e} />}
        </Show>
      </Show>
    </Suspense>
  );
}
