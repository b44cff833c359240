import { accessGraphSvg, mountGraphsSvg } from "../../access/graph";
import { accessMatrix } from "../../access/matrix";
import { accessModel, DEFAULT_POLICY_NOTE } from "../../access/model";
import { figure, heading, paragraph } from "../../document/document";
import type { SectionProvider } from "./build";
import { deliberateDestructions } from "./destructions";

/**
 * Access per environment, from the synthesized roles and policies (the report primes their HCL before building
 * sections): the graph auth roles → policies → mounts and paths, then every auth role × every path its policies
 * name, and the same by path.
 */
export const access: SectionProvider = (env) => {
  const model = accessModel(env);
  return [
    heading(3, "Access graph"),
    paragraph(
      "Which auth roles carry which policies, and which mounts those policies reach; then, mount by mount, every path " +
        "the policies name. A line from a policy is coloured by the strongest thing its rules grant there; hover it for " +
        "the capabilities. Whether a request is allowed is decided by all of a token's policies together: the tables " +
        "below hold the evaluated answer.",
    ),
    figure(accessGraphSvg(model), `Auth roles, their policies and the mounts those reach in ${env.environment}. ${DEFAULT_POLICY_NOTE}`),
    ...mountGraphsSvg(model).map(({ mount, svg }) => figure(svg, `Paths under \`${mount}\` in ${env.environment}: who reaches each, through which policy.`)),
    ...accessMatrix(model, 3),
  ];
};

/** Sections other analyses add to each environment's report. */
export const REPORT_SECTIONS: readonly SectionProvider[] = [access, deliberateDestructions];
