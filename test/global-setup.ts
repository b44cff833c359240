import { createScratch } from "./scratch-directory";

export default function globalSetup(): void {
  createScratch();
}
