//! Integration tests of the simulated portal: full flows through `apply`, roles and rights,
//! scenarios, exercises, invoices, works, sollicitations, the clock and the JSON contract
//! with the browser.

mod accounts;
mod clock;
mod exercises;
mod invoice_exercises;
mod invoice_properties;
mod invoice_scenarios;
mod invoice_support;
mod invoices;
mod loading;
mod properties;
mod rights;
mod scenarios;
mod structures;
mod support;
mod works;
mod works_end;
