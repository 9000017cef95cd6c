//! Invoices: money, the saisie form, totals, field rules, statuses, works pieces and
//! sollicitations, as the simulated Chorus Pro portal applies them.
//!
//! Every rule cites the domain reference (`shared/domain/chorus-pro.md`) by section number.
//! Anything the reference marks *unconfirmed* is implemented as a simulator choice and says so
//! in its doc comment; course text must not present it as a fact.
//!
//! **No floating point in money code.** Amounts are [`rust_decimal::Decimal`] wrapped in
//! [`Amount`], serialised as decimal strings; `clippy::float_arithmetic` and friends are denied
//! for this whole module.
//!
//! Where to start reading:
//! 1. [`amount`]: [`Amount`] (French parsing, formatting, half-up rounding) and [`VatRate`];
//! 2. [`cadre`]: the cadres de facturation A1…A25 and who may use them;
//! 3. [`form`]: [`InvoiceForm`], every field of the saisie form;
//! 4. [`totals`]: [`compute_totals`] and [`check_typed_totals`];
//! 5. [`rules`]: [`validate_entry`] and [`validate_send`] against a [`ValidationContext`];
//! 6. [`status`]: the invoice lifecycle, [`transition`] and [`Tracking`];
//! 7. [`works`]: the dossier de facturation of works invoices (A4 → A15 → A19; end of
//!    contract A7 → A17 → A20 → A8, tacit route A22 → A23);
//! 8. [`sollicitation`]: help requests to the support or a service métier.
//!
//! Nothing here knows about files, the DOM or the rest of the simulated world: the world
//! passes in the context (recipients, existing invoices, today's date) as plain data.
//! The only link to the rest of the crate is [`crate::validate`], whose [`FieldError`],
//! SIRET and code-service validators are shared so that one field gets one error code.
#![warn(missing_docs)]
#![deny(
    clippy::float_arithmetic,
    clippy::float_cmp,
    clippy::cast_precision_loss,
    clippy::lossy_float_literal
)]

pub mod amount;
pub mod cadre;
pub mod date;
pub mod form;
pub mod rules;
pub mod sollicitation;
pub mod status;
pub mod totals;
pub mod works;

/// The crate's field error: `field` is a path into the form (`lines[2].unit_price`), `code`
/// is stable, `message` and `rule` are French.
pub use crate::validate::FieldError;

pub use amount::{parse_decimal_fr, Amount, AmountParseError, VatRate, VatRateParseError};
pub use cadre::{ActorRole, Cadre, Espace};
pub use date::{Date, DateParseError};
pub use form::{limits, Attachment, InvoiceForm, InvoiceKind, InvoiceLine, PaymentMode, VatRegime};
pub use rules::{
    check_attachment, check_recycled_form, validate_entry, validate_send, ExistingInvoice,
    Recipient, RecipientService, ValidationContext,
};
pub use sollicitation::{
    handler_for, sollicitation_transition, validate_sollicitation, Handler, SollicitationActor,
    SollicitationError, SollicitationEvent, SollicitationForm, SollicitationStatus,
};
pub use status::{
    acknowledgement, system_event, transition, Acknowledgement, Actor, Event, HistoryEntry, Status,
    Tracking, TransitionContext, TransitionError,
};
pub use totals::{
    check_typed_totals, compute_totals, Totals, TypedTotals, TypedVatLine, VatSummaryLine,
};
pub use works::{
    BillingDossier, DgdSignature, WorksDeposit, WorksError, WorksPiece, WorksRefusalReason,
    WorksStatus,
};
