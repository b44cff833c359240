import { removeScratch } from "./scratch-directory";

export default function globalTeardown(): void {
  removeScratch();
}
