"use client";
// False while the server renders and while hydrating, true after: for what
// only the browser knows (the stored theme, the current time), without an
// effect that sets state (and renders everything twice).
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

export const useHydrated = (): boolean =>
  useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
