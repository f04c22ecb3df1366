/** The api-docs plugin's GraphQL SDL and protobuf readers, on SWAPI, route_guide and the demo's schemas. */
import swapi from "../fixtures/api-docs/swapi.graphql?raw";
import routeGuide from "../fixtures/api-docs/route_guide.proto?raw";
import demoCatalog from "../../catalog/demo/apis/product-catalog.graphql?raw";
import demoFraud from "../../catalog/demo/apis/fraud-scoring.proto?raw";
import { describe, expect, it } from "vitest";
import { parseSdl, tokenizeSdl } from "../../plugins/api-docs/lib/graphql";
import { parseProto } from "../../plugins/api-docs/lib/proto";


describe("GraphQL SDL", () => {
  const sdl = `"""Shop schema"""
schema { query: Root mutation: Mutations subscription: Events }

"""A single film.
type NotADefinition"""
type Film implements Node & Entity @key(fields: "id") {
  # a comment
  "The title"
  title: String
  characters(
    "How many"
    first: Int = 10, filter: CharacterFilter = { side: LIGHT, tags: ["a"] }
  ): [Person!]!
  oldField: String @deprecated(reason: "Use title")
}

type Root { film(id: ID!): Film }
type Mutations { rate(film: ID!, stars: Int!): Film }
type Events { filmAdded: Film! }
extend type Root { films: [Film!]! }
input CharacterFilter { side: Side = LIGHT, tags: [String!] }
enum Side { LIGHT "the dark side" DARK @deprecated }
union SearchResult = | Film | Person
scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")
directive @key(fields: String!) repeatable on OBJECT | INTERFACE
interface Node { id: ID! }
`;

  it("reads types, fields with args and defaults, descriptions, deprecations and roots", () => {
    const s = parseSdl(sdl);
    expect(s.errors).toEqual([]);
    expect(s.description).toBe("Shop schema");
    expect(s.roots).toEqual({ query: "Root", mutation: "Mutations", subscription: "Events" });
    expect(s.queries.map((f) => `${f.name}: ${f.type}`)).toEqual(["film: Film", "films: [Film!]!"]);
    expect(s.mutations.map((f) => `${f.name}(${f.args.map((a) => `${a.name}: ${a.type}`).join(", ")}): ${f.type}`)).toEqual(["rate(film: ID!, stars: Int!): Film"]);
    expect(s.subscriptions.map((f) => f.name)).toEqual(["filmAdded"]);
    const film = s.types.find((t) => t.name === "Film")!;
    expect(film).toMatchObject({ kind: "type", description: "A single film.\ntype NotADefinition", interfaces: ["Node", "Entity"], line: 6 });
    expect(film.fields.map((f) => f.name)).toEqual(["title", "characters", "oldField"]);
    expect(film.fields[0]!.description).toBe("The title");
    expect(film.fields[1]!.args).toEqual([
      { name: "first", type: "Int", description: "How many", defaultValue: "10" },
      { name: "filter", type: "CharacterFilter", description: undefined, defaultValue: '{side: LIGHT, tags: ["a"]}' },
    ]);
    expect(film.fields[2]!.deprecated).toBe("Use title");
    expect(s.types.find((t) => t.name === "Side")!.values).toEqual([
      { name: "LIGHT", description: undefined, deprecated: undefined },
      { name: "DARK", description: "the dark side", deprecated: "Deprecated" },
    ]);
    expect(s.types.find((t) => t.name === "SearchResult")!.members).toEqual(["Film", "Person"]);
    expect(s.types.find((t) => t.name === "CharacterFilter")!.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["side: Side", "tags: [String!]"]);
    expect(s.types.find((t) => t.name === "@key")).toMatchObject({ kind: "directive", locations: ["OBJECT", "INTERFACE"] });
    expect(s.types.map((t) => t.kind)).toContain("scalar");
  });

  it("defaults the roots to Query / Mutation / Subscription", () => {
    const s = parseSdl("type Query { a: Int } type Mutation { b: Int } type Subscription { c: Int }");
    expect([s.queries, s.mutations, s.subscriptions].map((l) => l.map((f) => f.name))).toEqual([["a"], ["b"], ["c"]]);
  });

  it("skips a broken definition, reports it and keeps the rest", () => {
    const s = parseSdl("type A { a: }\ntype B { b: Int }\nnonsense here\nenum C { X }");
    expect(s.types.map((t) => t.name)).toEqual(["A", "B", "C"]);
    expect(s.errors).toHaveLength(2);
    expect(s.errors[0]).toMatch(/^line 1: expected a name/);
  });

  it("tokenises for highlighting and keeps the text intact", () => {
    const tokens = tokenizeSdl(sdl);
    expect(tokens.map((t) => t.text).join("")).toBe(sdl);
    const kinds = (text: string) => tokens.filter((t) => t.text === text).map((t) => t.kind);
    expect(kinds("implements")).toEqual(["keyword"]);
    expect(kinds("title")).toEqual(["field"]);
    expect(kinds("# a comment")).toEqual(["comment"]);
    expect(kinds("@deprecated")).toEqual(["directive", "directive"]);
    expect(tokens.some((t) => t.kind === "string" && t.text.startsWith('"""A single film.'))).toBe(true);
  });

  it("SWAPI (graphql/swapi-graphql): schema root Root, every type with descriptions", () => {
    const s = parseSdl(swapi);
    expect(s.errors).toEqual([]);
    expect(s.roots.query).toBe("Root");
    expect(s.queries.map((f) => f.name)).toEqual(["allFilms", "film", "allPeople", "person", "allPlanets", "planet", "allSpecies", "species", "allStarships", "starship", "allVehicles", "vehicle", "node"]);
    expect(s.queries.find((f) => f.name === "node")!.args).toEqual([{ name: "id", type: "ID!", description: "The ID of an object", defaultValue: undefined }]);
    const person = s.types.find((t) => t.name === "Person")!;
    expect(person.interfaces).toEqual(["Node"]);
    expect(person.description).toBe("An individual person or character within the Star Wars universe.");
    expect(person.fields.find((f) => f.name === "birthYear")!.description).toMatch(/^The birth year of the person/);
    expect(s.types.filter((t) => t.kind === "interface").map((t) => t.name)).toEqual(["Node"]);
    expect(s.types.length).toBeGreaterThan(40);
  });

  it("the demo's product catalogue", () => {
    const s = parseSdl(demoCatalog);
    expect(s.errors).toEqual([]);
    expect(s.description).toMatch(/^Brightcart product catalogue/);
    expect(s.queries.length).toBeGreaterThan(0);
    expect(s.mutations.length).toBeGreaterThan(0);
    expect(s.types.find((t) => t.name === "Currency")!.values.map((v) => v.name)).toEqual(["EUR", "GBP", "SEK", "USD"]);
  });
});

describe("protobuf", () => {
  it("route_guide.proto (grpc/grpc): service, streaming rpcs, messages and doc comments", () => {
    const f = parseProto(routeGuide);
    expect(f.errors).toEqual([]);
    expect(f).toMatchObject({ syntax: "proto3", package: "routeguide" });
    expect(f.options.map((o) => `${o.name}=${o.value}`)).toContain("java_package=io.grpc.examples.routeguide");
    expect(f.services.map((s) => s.name)).toEqual(["RouteGuide"]);
    const svc = f.services[0]!;
    expect(svc.description).toBe("Interface exported by the server.");
    expect(svc.rpcs.map((r) => `${r.name}(${r.requestStream ? "stream " : ""}${r.request}) → ${r.responseStream ? "stream " : ""}${r.response}`)).toEqual([
      "GetFeature(Point) → Feature",
      "ListFeatures(Rectangle) → stream Feature",
      "RecordRoute(stream Point) → RouteSummary",
      "RouteChat(stream RouteNote) → stream RouteNote",
    ]);
    expect(svc.rpcs[0]!.description).toMatch(/^A simple RPC\.\n\nObtains the feature at a given position\./);
    expect(f.messages.map((m) => m.name)).toEqual(["Point", "Rectangle", "Feature", "RouteNote", "RouteSummary"]);
    expect(f.messages[1]!.fields).toEqual([
      { name: "lo", type: "Point", number: "1", label: undefined, oneof: undefined, description: "One corner of the rectangle." },
      { name: "hi", type: "Point", number: "2", label: undefined, oneof: undefined, description: "The other corner of the rectangle." },
    ]);
  });

  it("the demo's fraud scoring: enums, repeated fields, trailing comments, imports", () => {
    const f = parseProto(demoFraud);
    expect(f.errors).toEqual([]);
    expect(f.package).toBe("brightcart.fraud.v1");
    expect(f.imports).toEqual(["google/protobuf/timestamp.proto"]);
    expect(f.services[0]!.rpcs.map((r) => r.name)).toEqual(["ScorePayment", "ReportOutcome", "WatchReviews"]);
    expect(f.services[0]!.rpcs[2]!.responseStream).toBe(true);
    expect(f.enums.map((e) => e.name)).toEqual(["Decision", "Outcome"]);
    expect(f.enums[0]!.values.map((v) => `${v.name}=${v.number}`)).toEqual(["DECISION_UNSPECIFIED=0", "DECISION_APPROVE=1", "DECISION_REVIEW=2", "DECISION_DECLINE=3"]);
    const money = f.messages.find((m) => m.name === "Money")!;
    expect(money.fields.map((x) => [x.name, x.type, x.description])).toEqual([
      ["amount", "int64", "minor units"],
      ["currency", "string", "ISO 4217"],
    ]);
    const resp = f.messages.find((m) => m.name === "ScorePaymentResponse")!;
    expect(resp.fields.find((x) => x.name === "reasons")).toMatchObject({ label: "repeated", type: "string" });
    expect(f.messages.find((m) => m.name === "ScorePaymentRequest")!.fields.find((x) => x.name === "attempted_at")!.type).toBe("google.protobuf.Timestamp");
  });

  it("nested messages, oneof, map fields, options and reserved ranges; broken statements are skipped", () => {
    const f = parseProto(`
syntax = "proto3";
/* Outer doc */
message Outer {
  reserved 2, 15, 9 to 11;
  option deprecated = true;
  message Inner { string id = 1 [deprecated = true]; }
  enum Kind { A = 0; B = 1 [(custom) = "x"]; }
  oneof choice { string text = 3; Inner inner = 4; }
  map<string, Inner> by_id = 5;
  repeated Kind kinds = 6;
  garbage here;
}
service S { rpc Get(Outer) returns (Outer.Inner) { option (google.api.http) = { get: "/v1/x" }; } }
`);
    expect(f.messages.map((m) => m.name)).toEqual(["Outer", "Outer.Inner"]);
    expect(f.messages[0]!.description).toBe("Outer doc");
    expect(f.enums.map((e) => e.name)).toEqual(["Outer.Kind"]);
    expect(f.messages[0]!.fields.map((x) => `${x.label ?? ""} ${x.type} ${x.name}=${x.number}${x.oneof ? ` in ${x.oneof}` : ""}`.trim())).toEqual([
      "string text=3 in choice",
      "Inner inner=4 in choice",
      "map map<string, Inner> by_id=5",
      "repeated Kind kinds=6",
    ]);
    expect(f.errors).toHaveLength(1);
    expect(f.services[0]!.rpcs).toMatchObject([{ name: "Get", request: "Outer", response: "Outer.Inner" }]);
  });
});
