//! The invoice lifecycle (reference section 4): [`Status`], [`Event`], [`transition`],
//! the valideur flow of A9/A12 invoices, the 7-day acknowledgement of a rejection, and
//! [`Tracking`], a status with its history.
//!
//! Simple invoice (4.2), `[...]` being optional statuses the recipient may skip:
//!
//! ```text
//! Brouillon --Send--> Déposée --> [En cours d'acheminement] --> Mise à disposition du destinataire
//! Mise à disposition --Recycle--> À recycler --Readdress--> Mise à disposition
//! Mise à disposition --Suspend--> Suspendue --Complete--> Complétée --> (processing | Rejetée | …)
//! Mise à disposition --Reject--> Rejetée (final)
//! Mise à disposition --> [Service fait] --> [Mandatée] --> [Mise à disposition du comptable]
//!                    --> [Comptabilisée] --> Mise en paiement (final)
//! ```
//!
//! A9/A12 (4.3): `Déposée --> À valider --Validate--> Validée --> Mise à disposition`;
//! `À valider --RefuseValidation--> Refusée` (not forwarded);
//! `À valider --15 days--> Absence de validation hors délai --> Mise à disposition` (tacit).
//!
//! Rules stricter than the sources are simulator choices and say so.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::date::Date;

/// Status of an invoice, with its API code as serialised name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Brouillon: saved, not sent (« Enregistrer »).
    Brouillon,
    /// Supprimée: deleted draft.
    Supprimee,
    /// Déposée (C01): integrated in Chorus Pro; transient.
    Deposee,
    /// En cours d'acheminement (C02): being routed; may be skipped.
    EnCoursAcheminement,
    /// Mise à disposition du destinataire (C03): in the recipient's « Factures reçues ».
    MiseADisposition,
    /// À recycler (C04): wrong routing data (SIRET, code service, engagement).
    ARecycler,
    /// Rejetée (C05): final; the supplier issues a new invoice with a new number.
    Rejetee,
    /// Suspendue (C06): supporting documents missing.
    Suspendue,
    /// Complétée (C12): the supplier added the documents.
    Completee,
    /// Service fait (C07); optional.
    ServiceFait,
    /// Mandatée (C08); optional: the payment order exists.
    Mandatee,
    /// Mise à disposition du comptable (C09); optional.
    MiseADispositionComptable,
    /// Comptabilisée (C10); optional.
    Comptabilisee,
    /// Mise en paiement (C11): payment ordered; last status. Some recipients do not report it.
    MiseEnPaiement,
    /// À valider (C13): waiting for the first valideur (titulaire or mandataire).
    #[serde(rename = "A_VALIDER_1")]
    AValider1,
    /// Validée by the first valideur.
    #[serde(rename = "VALIDEE_1")]
    Validee1,
    /// Refusée by the first valideur (C14): not forwarded; final.
    #[serde(rename = "REFUSEE_1")]
    Refusee1,
    /// Absence de validation hors délai (C15): tacit validation after 15 days.
    #[serde(rename = "ABSENCE_VALIDATION_1_HORS_DELAI")]
    AbsenceValidation1HorsDelai,
    /// À valider by a second valideur (C25): sous-traitant of a cotraitant.
    #[serde(rename = "A_VALIDER_2")]
    AValider2,
    /// Validée by the second valideur (C16).
    #[serde(rename = "VALIDEE_2")]
    Validee2,
    /// Refusée by the second valideur (C17): final.
    #[serde(rename = "REFUSEE_2")]
    Refusee2,
    /// Absence de validation hors délai by the second valideur (C18).
    #[serde(rename = "ABSENCE_VALIDATION_2_HORS_DELAI")]
    AbsenceValidation2HorsDelai,
}

/// Who acts on an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The supplier (the learner, usually).
    Fournisseur,
    /// The valideur of an A9/A12 invoice (titulaire or mandataire).
    Valideur,
    /// The public recipient, including its accountant (comptable, Hélios).
    Destinataire,
    /// Chorus Pro itself (routing, deadlines).
    Systeme,
}

/// Something that happens to an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// Fournisseur: « Valider et envoyer » then « Confirmer et envoyer ».
    Send,
    /// Fournisseur: delete a draft.
    DeleteDraft,
    /// Système: Déposée → En cours d'acheminement.
    Route,
    /// Système: delivered to the recipient (Mise à disposition).
    MakeAvailable,
    /// Système: an A9/A12 invoice goes to its (first or second) valideur.
    SubmitForValidation,
    /// Valideur: « Valider », with an optional comment.
    Validate {
        /// Comment added by the valideur.
        #[serde(default)]
        comment: String,
    },
    /// Valideur: refuses the invoice; it is not forwarded.
    RefuseValidation {
        /// Why; mandatory (simulator choice).
        reason: String,
    },
    /// Système: 15 days without an answer from the valideur: tacit validation.
    ValidationTimeout,
    /// Destinataire: wrong routing data; the supplier must re-address.
    Recycle {
        /// Why (e.g. « Erreur de destinataire »); optional.
        #[serde(default)]
        reason: String,
    },
    /// Destinataire: documents missing; a reason is mandatory.
    Suspend {
        /// Why.
        reason: String,
    },
    /// Destinataire: wrong invoicing data; a reason is mandatory; final.
    Reject {
        /// Why.
        reason: String,
    },
    /// Fournisseur: sends a recycled invoice again after correcting SIRET, code service or
    /// engagement (check the edit with [`super::check_recycled_form`] first).
    Readdress,
    /// Fournisseur: adds the missing documents to a suspended invoice.
    Complete {
        /// Number of attachments added; at least one.
        attachments_added: u32,
    },
    /// Destinataire: « Service fait ».
    MarkServiceDone,
    /// Destinataire: « Mandatée ».
    Mandate,
    /// Destinataire: « Mise à disposition du comptable ».
    MakeAvailableToAccountant,
    /// Destinataire (comptable): « Comptabilisée ».
    RecordInAccounts,
    /// Destinataire (comptable): « Mise en paiement ».
    PutInPayment,
}

/// What the transition needs to know besides the status and the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionContext {
    /// Who triggers the event.
    pub actor: Actor,
    /// Now, in simulated time.
    pub now: Date,
    /// When the current status was entered (for the 15-day validation deadline).
    pub status_since: Date,
    /// Whether the invoice's cadre needs a valideur (A9, A12).
    pub needs_valideur: bool,
    /// Whether a second valideur follows the first (sous-traitant of a cotraitant).
    pub second_valideur: bool,
    /// Whether the recipient reports « Mise en paiement » (its « statut mise en paiement »
    /// setting).
    pub reports_payment_status: bool,
}

/// Why an event is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransitionError {
    /// The invoice is in a final status.
    Terminal(Status),
    /// Someone else must trigger this event.
    WrongActor {
        /// Who may.
        expected: Actor,
    },
    /// The event makes no sense in this status.
    NotAllowed {
        /// The current status.
        from: Status,
        /// The refused event.
        event: Event,
    },
    /// A reason is mandatory for a suspension, a rejection or a refusal.
    ReasonRequired,
    /// Completing a suspended invoice needs at least one attachment.
    AttachmentRequired,
    /// The validation deadline has not passed yet.
    TooEarly {
        /// Days left before tacit validation.
        days_left: i64,
    },
    /// The recipient does not report « Mise en paiement ».
    PaymentStatusNotReported,
}

/// One line of an invoice's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The status entered.
    pub status: Status,
    /// When, in simulated time.
    pub at: Date,
    /// The reason or comment given, if any.
    pub comment: String,
}

/// A status, when it was entered, and the history that led to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    /// The current status.
    pub status: Status,
    /// When the current status was entered.
    pub since: Date,
    /// Every status entered, oldest first (the draft included).
    pub history: Vec<HistoryEntry>,
    /// Whether the supplier acknowledged (« acquitter ») the rejection or suspension.
    pub acknowledged: bool,
}

/// Whether the supplier must acknowledge a returned invoice at login.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Acknowledgement {
    /// Nothing to acknowledge.
    NotNeeded,
    /// The pop-up is shown and may be closed.
    Offered,
    /// Seven days have passed: the pop-up must be acknowledged to go on.
    Mandatory,
}

/// Suggested rejection reasons. The portal's list is *unconfirmed*: these labels are invented
/// (reference 3.3 b) and must not be taught as the portal's.
pub const REJECTION_REASONS: [&str; 4] = [
    "Données de facturation erronées",
    "Facture en double",
    "Montant erroné",
    "Cadre de facturation erroné",
];
/// Suggested suspension reason (invented label, see [`REJECTION_REASONS`]).
pub const SUSPENSION_REASONS: [&str; 1] = ["Pièces justificatives manquantes"];
/// Suggested recycling reason (invented label, see [`REJECTION_REASONS`]).
pub const RECYCLING_REASONS: [&str; 1] = ["Erreur de destinataire"];

/// Days the valideur has before tacit validation (reference 4.3).
pub const VALIDATION_DAYS: i64 = 15;
/// Days after which acknowledging a rejection or suspension becomes mandatory (reference 3.3 b).
pub const ACKNOWLEDGEMENT_DAYS: i64 = 7;

/// Applies `event` to an invoice in status `current`, or says why it is refused.
///
/// Simulator choices beyond the sources: recycling and suspension are possible from « Mise à
/// disposition » and « Complétée »; rejection also from « Service fait » and « Mandatée » (a
/// mandate refused by the accountant reaches the supplier only through a rejection); processing
/// statuses only move forward; tacit validation applies once 15 full days have passed.
pub fn transition(
    current: Status,
    event: &Event,
    ctx: &TransitionContext,
) -> Result<Status, TransitionError> {
    if current.is_terminal() {
        return Err(TransitionError::Terminal(current));
    }
    let expected = event.actor();
    if ctx.actor != expected {
        return Err(TransitionError::WrongActor { expected });
    }
    let not_allowed = || TransitionError::NotAllowed {
        from: current,
        event: event.clone(),
    };
    use Status as S;
    let next = match (event, current) {
        (Event::Send, S::Brouillon) => S::Deposee,
        (Event::DeleteDraft, S::Brouillon) => S::Supprimee,
        (Event::Route, S::Deposee) if !ctx.needs_valideur => S::EnCoursAcheminement,
        (Event::MakeAvailable, S::Deposee | S::EnCoursAcheminement) if !ctx.needs_valideur => {
            S::MiseADisposition
        }
        (Event::MakeAvailable, S::Validee1 | S::AbsenceValidation1HorsDelai)
            if !ctx.second_valideur =>
        {
            S::MiseADisposition
        }
        (Event::MakeAvailable, S::Validee2 | S::AbsenceValidation2HorsDelai) => S::MiseADisposition,
        (Event::SubmitForValidation, S::Deposee) if ctx.needs_valideur => S::AValider1,
        (Event::SubmitForValidation, S::Validee1 | S::AbsenceValidation1HorsDelai)
            if ctx.second_valideur =>
        {
            S::AValider2
        }
        (Event::Validate { .. }, S::AValider1) => S::Validee1,
        (Event::Validate { .. }, S::AValider2) => S::Validee2,
        (Event::RefuseValidation { reason }, S::AValider1 | S::AValider2) => {
            require_reason(reason)?;
            if current == S::AValider1 {
                S::Refusee1
            } else {
                S::Refusee2
            }
        }
        (Event::ValidationTimeout, S::AValider1 | S::AValider2) => {
            let elapsed = ctx.status_since.days_until(ctx.now);
            if elapsed < VALIDATION_DAYS {
                return Err(TransitionError::TooEarly {
                    days_left: VALIDATION_DAYS - elapsed,
                });
            }
            if current == S::AValider1 {
                S::AbsenceValidation1HorsDelai
            } else {
                S::AbsenceValidation2HorsDelai
            }
        }
        (Event::Recycle { .. }, S::MiseADisposition | S::Completee) => S::ARecycler,
        (Event::Suspend { reason }, S::MiseADisposition | S::Completee) => {
            require_reason(reason)?;
            S::Suspendue
        }
        (
            Event::Reject { reason },
            S::MiseADisposition | S::Completee | S::ServiceFait | S::Mandatee,
        ) => {
            require_reason(reason)?;
            S::Rejetee
        }
        (Event::Readdress, S::ARecycler) => S::MiseADisposition,
        (Event::Complete { attachments_added }, S::Suspendue) => {
            if *attachments_added == 0 {
                return Err(TransitionError::AttachmentRequired);
            }
            S::Completee
        }
        (processing, from) => {
            let target = processing.processing_target().ok_or_else(not_allowed)?;
            let from_rank = from.processing_rank().ok_or_else(not_allowed)?;
            let target_rank = target
                .processing_rank()
                .expect("processing targets have a rank");
            if target_rank <= from_rank {
                return Err(not_allowed());
            }
            if target == S::MiseEnPaiement && !ctx.reports_payment_status {
                return Err(TransitionError::PaymentStatusNotReported);
            }
            target
        }
    };
    Ok(next)
}

/// The event Chorus Pro applies by itself to an invoice in `status`, if any: routing,
/// delivery, submission to the valideur, tacit validation once the deadline has passed.
/// The world calls it after each step of simulated time.
pub fn system_event(status: Status, ctx: &TransitionContext) -> Option<Event> {
    use Status as S;
    match status {
        S::Deposee if ctx.needs_valideur => Some(Event::SubmitForValidation),
        S::Deposee => Some(Event::Route),
        S::EnCoursAcheminement | S::Validee2 | S::AbsenceValidation2HorsDelai => {
            Some(Event::MakeAvailable)
        }
        S::Validee1 | S::AbsenceValidation1HorsDelai if ctx.second_valideur => {
            Some(Event::SubmitForValidation)
        }
        S::Validee1 | S::AbsenceValidation1HorsDelai => Some(Event::MakeAvailable),
        S::AValider1 | S::AValider2 if ctx.status_since.days_until(ctx.now) >= VALIDATION_DAYS => {
            Some(Event::ValidationTimeout)
        }
        _ => None,
    }
}

/// Whether the supplier must acknowledge a rejected or suspended invoice at login: the pop-up
/// appears at once and acknowledging becomes compulsory after 7 days (reference 3.3 b).
pub fn acknowledgement(
    status: Status,
    since: Date,
    today: Date,
    acknowledged: bool,
) -> Acknowledgement {
    if acknowledged || !matches!(status, Status::Rejetee | Status::Suspendue) {
        Acknowledgement::NotNeeded
    } else if since.days_until(today) >= ACKNOWLEDGEMENT_DAYS {
        Acknowledgement::Mandatory
    } else {
        Acknowledgement::Offered
    }
}

impl Status {
    /// The portal's French label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Brouillon => "Brouillon",
            Status::Supprimee => "Supprimée",
            Status::Deposee => "Déposée",
            Status::EnCoursAcheminement => "En cours d'acheminement",
            Status::MiseADisposition => "Mise à disposition du destinataire",
            Status::ARecycler => "À recycler",
            Status::Rejetee => "Rejetée",
            Status::Suspendue => "Suspendue",
            Status::Completee => "Complétée",
            Status::ServiceFait => "Service fait",
            Status::Mandatee => "Mandatée",
            Status::MiseADispositionComptable => "Mise à disposition du comptable",
            Status::Comptabilisee => "Comptabilisée",
            Status::MiseEnPaiement => "Mise en paiement",
            Status::AValider1 => "Mise à disposition du premier valideur",
            Status::Validee1 => "Validée par le premier valideur",
            Status::Refusee1 => "Refusée par le premier valideur",
            Status::AbsenceValidation1HorsDelai => {
                "Absence de validation du premier valideur hors délai"
            }
            Status::AValider2 => "Mise à disposition du second valideur",
            Status::Validee2 => "Validée par le second valideur",
            Status::Refusee2 => "Refusée par le second valideur",
            Status::AbsenceValidation2HorsDelai => {
                "Absence de validation du second valideur hors délai"
            }
        }
    }

    /// Whether no event can follow: Rejetée, Mise en paiement, Refusée, Supprimée.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Rejetee
                | Status::MiseEnPaiement
                | Status::Refusee1
                | Status::Refusee2
                | Status::Supprimee
        )
    }

    /// Whether the status is one of the four optional processing statuses.
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            Status::ServiceFait
                | Status::Mandatee
                | Status::MiseADispositionComptable
                | Status::Comptabilisee
        )
    }

    /// Whether the invoice number stays taken: every status but a deleted draft.
    pub fn holds_number(self) -> bool {
        self != Status::Supprimee
    }

    /// Position on the processing chain, for the forward-only rule.
    fn processing_rank(self) -> Option<u8> {
        match self {
            Status::MiseADisposition | Status::Completee => Some(0),
            Status::ServiceFait => Some(1),
            Status::Mandatee => Some(2),
            Status::MiseADispositionComptable => Some(3),
            Status::Comptabilisee => Some(4),
            Status::MiseEnPaiement => Some(5),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

impl Event {
    /// Who may trigger the event.
    pub fn actor(&self) -> Actor {
        match self {
            Event::Send | Event::DeleteDraft | Event::Readdress | Event::Complete { .. } => {
                Actor::Fournisseur
            }
            Event::Route
            | Event::MakeAvailable
            | Event::SubmitForValidation
            | Event::ValidationTimeout => Actor::Systeme,
            Event::Validate { .. } | Event::RefuseValidation { .. } => Actor::Valideur,
            Event::Recycle { .. }
            | Event::Suspend { .. }
            | Event::Reject { .. }
            | Event::MarkServiceDone
            | Event::Mandate
            | Event::MakeAvailableToAccountant
            | Event::RecordInAccounts
            | Event::PutInPayment => Actor::Destinataire,
        }
    }

    /// The reason or comment the event carries, for the history.
    pub fn comment(&self) -> &str {
        match self {
            Event::Validate { comment } => comment,
            Event::RefuseValidation { reason }
            | Event::Recycle { reason }
            | Event::Suspend { reason }
            | Event::Reject { reason } => reason,
            _ => "",
        }
    }

    fn processing_target(&self) -> Option<Status> {
        match self {
            Event::MarkServiceDone => Some(Status::ServiceFait),
            Event::Mandate => Some(Status::Mandatee),
            Event::MakeAvailableToAccountant => Some(Status::MiseADispositionComptable),
            Event::RecordInAccounts => Some(Status::Comptabilisee),
            Event::PutInPayment => Some(Status::MiseEnPaiement),
            _ => None,
        }
    }
}

impl TransitionError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::Terminal(_) => "status-terminal",
            TransitionError::WrongActor { .. } => "status-wrong-actor",
            TransitionError::NotAllowed { .. } => "status-not-allowed",
            TransitionError::ReasonRequired => "status-reason-required",
            TransitionError::AttachmentRequired => "status-attachment-required",
            TransitionError::TooEarly { .. } => "status-too-early",
            TransitionError::PaymentStatusNotReported => "status-payment-not-reported",
        }
    }

    /// The message shown to the learner, in French.
    pub fn message_fr(&self) -> String {
        match self {
            TransitionError::Terminal(Status::Rejetee) => {
                "Une facture rejetée ne peut plus être modifiée : déposez une nouvelle facture avec un nouveau numéro."
                    .to_owned()
            }
            TransitionError::Terminal(status) => format!("Le statut « {status} » est définitif."),
            TransitionError::WrongActor { expected } => format!(
                "Cette action revient {}.",
                match expected {
                    Actor::Fournisseur => "au fournisseur",
                    Actor::Valideur => "au valideur",
                    Actor::Destinataire => "au destinataire",
                    Actor::Systeme => "à Chorus Pro",
                }
            ),
            TransitionError::NotAllowed { from, .. } => {
                format!("Cette action n'est pas possible pour une facture au statut « {from} ».")
            }
            TransitionError::ReasonRequired => "Un motif est obligatoire.".to_owned(),
            TransitionError::AttachmentRequired => {
                "Ajoutez au moins une pièce jointe pour compléter la facture.".to_owned()
            }
            TransitionError::TooEarly { days_left } => {
                format!("Le valideur dispose encore de {days_left} jour(s) pour se prononcer.")
            }
            TransitionError::PaymentStatusNotReported => {
                "Ce destinataire ne remonte pas le statut « Mise en paiement ».".to_owned()
            }
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message_fr())
    }
}

impl Tracking {
    /// A new draft, saved on `today`.
    pub fn new(today: Date) -> Tracking {
        Tracking {
            status: Status::Brouillon,
            since: today,
            history: vec![HistoryEntry {
                status: Status::Brouillon,
                at: today,
                comment: String::new(),
            }],
            acknowledged: false,
        }
    }

    /// Applies an event at `ctx.now` (its `status_since` is taken from `self.since`), records
    /// it in the history and returns the new status.
    pub fn apply(
        &mut self,
        event: &Event,
        ctx: &TransitionContext,
    ) -> Result<Status, TransitionError> {
        let ctx = TransitionContext {
            status_since: self.since,
            ..*ctx
        };
        let next = transition(self.status, event, &ctx)?;
        self.status = next;
        self.since = ctx.now;
        self.acknowledged = false;
        self.history.push(HistoryEntry {
            status: next,
            at: ctx.now,
            comment: event.comment().to_owned(),
        });
        Ok(next)
    }

    /// Records the supplier's acknowledgement (« acquitter ») of a rejection or suspension;
    /// the status does not change. Returns whether there was something to acknowledge.
    pub fn acknowledge(&mut self) -> bool {
        let needed =
            matches!(self.status, Status::Rejetee | Status::Suspendue) && !self.acknowledged;
        self.acknowledged |= needed;
        needed
    }

    /// See [`acknowledgement`].
    pub fn acknowledgement(&self, today: Date) -> Acknowledgement {
        acknowledgement(self.status, self.since, today, self.acknowledged)
    }
}

fn require_reason(reason: &str) -> Result<(), TransitionError> {
    if reason.trim().is_empty() {
        Err(TransitionError::ReasonRequired)
    } else {
        Ok(())
    }
}

#[cfg(test)]
#[path = "status_tests.rs"]
mod tests;
