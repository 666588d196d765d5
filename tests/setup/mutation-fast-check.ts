import fc from "fast-check";

// Mutation runs only need to know that a property fails, not its smallest counterexample:
// shrinking one (10–15 s for a long script) against every mutant the property kills would cost
// minutes. Ordinary test runs still shrink.
fc.configureGlobal({ endOnFailure: true });
