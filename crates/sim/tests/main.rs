//! Integration tests of the simulated portal: full flows through `apply`, roles and rights,
//! scenarios, exercises and the JSON contract with the browser.

mod accounts;
mod exercises;
mod properties;
mod rights;
mod scenarios;
mod structures;
mod support;
