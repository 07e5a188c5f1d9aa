/** The oldest Node.js fakepsp runs on (package.json `engines`). */
export declare const nodeVersionNeeded: string;
/** Why this Node.js cannot run fakepsp, or undefined when it can. */
export declare function nodeVersionProblem(version: string): string | undefined;
