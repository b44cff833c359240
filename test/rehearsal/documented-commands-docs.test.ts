/** The commands of docs/, run as test/rehearsal/documented-commands-suite.ts says. */
import { describeDocumentedCommands } from "./documented-commands-suite";

describeDocumentedCommands("docs/");
