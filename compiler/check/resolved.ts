/** What a reference resolves to. */
import type { DeclInfo, ParamInfo } from "../resolve/scope.js";

export type Resolved =
  | { k: "decl"; decl: DeclInfo }
  /** `shapes.train` */
  | { k: "split"; decl: DeclInfo; split: string }
  /** `swav_tiny.pool`, `tiny.res4`, `random_init(tiny).pool` */
  | { k: "tap"; decl: DeclInfo; tap: string; randomInit: boolean }
  | { k: "param"; param: ParamInfo };
