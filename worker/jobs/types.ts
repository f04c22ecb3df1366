/**
 * Messages on the shared JOBS queue: a tagged union, so every feature (location refreshes, GitHub pushes,
 * later plugin jobs) shares one queue and one consumer that dispatches on `type`.
 */
import type { GithubJob } from "../ingestion/jobs";
import type { CatalogChangedJob, PluginHookJob } from "../plugins/hooks/types";

export type JobMessage = { type: "refresh-location"; locationKey: string } | GithubJob | PluginHookJob | CatalogChangedJob;
