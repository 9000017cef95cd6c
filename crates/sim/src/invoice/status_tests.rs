//! Tests of the invoice lifecycle: every allowed transition, and refusals.

use super::*;
use Actor::{Destinataire as D, Fournisseur as F, Systeme as Sys, Valideur as V};
use Status as S;

fn day(n: i64) -> Date {
    Date::from_ymd(2025, 3, 1).unwrap().add_days(n)
}

fn ctx(actor: Actor) -> TransitionContext {
    TransitionContext {
        actor,
        now: day(0),
        status_since: day(0),
        needs_valideur: false,
        second_valideur: false,
        reports_payment_status: true,
    }
}

fn a9(actor: Actor) -> TransitionContext {
    TransitionContext {
        needs_valideur: true,
        ..ctx(actor)
    }
}

fn reject() -> Event {
    Event::Reject {
        reason: "Facture en double".to_owned(),
    }
}

fn suspend() -> Event {
    Event::Suspend {
        reason: "Pièces justificatives manquantes".to_owned(),
    }
}

fn recycle() -> Event {
    Event::Recycle {
        reason: "Erreur de destinataire".to_owned(),
    }
}

#[track_caller]
fn check(
    from: Status,
    event: Event,
    ctx: TransitionContext,
    expected: Result<Status, TransitionError>,
) {
    assert_eq!(
        transition(from, &event, &ctx),
        expected,
        "{from:?} --{event:?}-->"
    );
}

#[track_caller]
fn allowed(from: Status, event: Event, ctx: TransitionContext, to: Status) {
    check(from, event, ctx, Ok(to));
}

#[track_caller]
fn not_allowed(from: Status, event: Event, ctx: TransitionContext) {
    let expected = Err(TransitionError::NotAllowed {
        from,
        event: event.clone(),
    });
    check(from, event, ctx, expected);
}

#[test]
fn a_simple_invoice_goes_from_draft_to_payment() {
    allowed(S::Brouillon, Event::Send, ctx(F), S::Deposee);
    allowed(S::Brouillon, Event::DeleteDraft, ctx(F), S::Supprimee);
    allowed(S::Deposee, Event::Route, ctx(Sys), S::EnCoursAcheminement);
    allowed(
        S::EnCoursAcheminement,
        Event::MakeAvailable,
        ctx(Sys),
        S::MiseADisposition,
    );
    allowed(
        S::MiseADisposition,
        Event::MarkServiceDone,
        ctx(D),
        S::ServiceFait,
    );
    allowed(S::ServiceFait, Event::Mandate, ctx(D), S::Mandatee);
    allowed(
        S::Mandatee,
        Event::MakeAvailableToAccountant,
        ctx(D),
        S::MiseADispositionComptable,
    );
    allowed(
        S::MiseADispositionComptable,
        Event::RecordInAccounts,
        ctx(D),
        S::Comptabilisee,
    );
    allowed(
        S::Comptabilisee,
        Event::PutInPayment,
        ctx(D),
        S::MiseEnPaiement,
    );
}

#[test]
fn optional_statuses_may_be_skipped_but_never_go_back() {
    // Routing may be skipped.
    allowed(
        S::Deposee,
        Event::MakeAvailable,
        ctx(Sys),
        S::MiseADisposition,
    );
    allowed(
        S::MiseADisposition,
        Event::PutInPayment,
        ctx(D),
        S::MiseEnPaiement,
    );
    allowed(S::MiseADisposition, Event::Mandate, ctx(D), S::Mandatee);
    allowed(
        S::ServiceFait,
        Event::RecordInAccounts,
        ctx(D),
        S::Comptabilisee,
    );
    allowed(S::Completee, Event::MarkServiceDone, ctx(D), S::ServiceFait);
    not_allowed(S::Mandatee, Event::MarkServiceDone, ctx(D));
    not_allowed(S::Comptabilisee, Event::Mandate, ctx(D));
    not_allowed(S::ServiceFait, Event::MarkServiceDone, ctx(D));
    not_allowed(S::Brouillon, Event::MarkServiceDone, ctx(D));
    not_allowed(S::ARecycler, Event::Mandate, ctx(D));
    assert!(S::ServiceFait.is_optional() && !S::MiseEnPaiement.is_optional());
}

#[test]
fn mise_en_paiement_respects_the_recipient_setting() {
    let silent = TransitionContext {
        reports_payment_status: false,
        ..ctx(D)
    };
    check(
        S::Comptabilisee,
        Event::PutInPayment,
        silent,
        Err(TransitionError::PaymentStatusNotReported),
    );
    // A backwards move is refused as such even when the setting is off.
    not_allowed(S::Brouillon, Event::PutInPayment, silent);
}

#[test]
fn recycling_readdresses_the_same_invoice() {
    allowed(S::MiseADisposition, recycle(), ctx(D), S::ARecycler);
    allowed(
        S::MiseADisposition,
        Event::Recycle {
            reason: String::new(),
        },
        ctx(D),
        S::ARecycler,
    );
    allowed(S::Completee, recycle(), ctx(D), S::ARecycler);
    allowed(S::ARecycler, Event::Readdress, ctx(F), S::MiseADisposition);
    not_allowed(S::ServiceFait, recycle(), ctx(D));
    not_allowed(S::MiseADisposition, Event::Readdress, ctx(F));
}

#[test]
fn a_suspended_invoice_is_completed_with_attachments() {
    allowed(S::MiseADisposition, suspend(), ctx(D), S::Suspendue);
    allowed(
        S::Suspendue,
        Event::Complete {
            attachments_added: 2,
        },
        ctx(F),
        S::Completee,
    );
    check(
        S::Suspendue,
        Event::Complete {
            attachments_added: 0,
        },
        ctx(F),
        Err(TransitionError::AttachmentRequired),
    );
    allowed(S::Completee, reject(), ctx(D), S::Rejetee);
    allowed(S::Completee, suspend(), ctx(D), S::Suspendue);
    not_allowed(
        S::MiseADisposition,
        Event::Complete {
            attachments_added: 1,
        },
        ctx(F),
    );
    not_allowed(S::Suspendue, Event::MarkServiceDone, ctx(D));
}

#[test]
fn suspension_and_rejection_need_a_reason() {
    let blank = Event::Suspend {
        reason: "  ".to_owned(),
    };
    check(
        S::MiseADisposition,
        blank,
        ctx(D),
        Err(TransitionError::ReasonRequired),
    );
    check(
        S::MiseADisposition,
        Event::Reject {
            reason: String::new(),
        },
        ctx(D),
        Err(TransitionError::ReasonRequired),
    );
}

#[test]
fn rejection_is_final() {
    allowed(S::MiseADisposition, reject(), ctx(D), S::Rejetee);
    allowed(S::ServiceFait, reject(), ctx(D), S::Rejetee);
    allowed(S::Mandatee, reject(), ctx(D), S::Rejetee);
    not_allowed(S::Comptabilisee, reject(), ctx(D));
    for event in [
        Event::Readdress,
        Event::Complete {
            attachments_added: 1,
        },
        Event::Send,
    ] {
        check(
            S::Rejetee,
            event,
            ctx(F),
            Err(TransitionError::Terminal(S::Rejetee)),
        );
    }
    for terminal in [S::MiseEnPaiement, S::Refusee1, S::Refusee2, S::Supprimee] {
        check(
            terminal,
            reject(),
            ctx(D),
            Err(TransitionError::Terminal(terminal)),
        );
    }
    let message = TransitionError::Terminal(S::Rejetee).message_fr();
    assert!(message.contains("nouveau numéro"), "{message}");
}

#[test]
fn each_event_belongs_to_one_actor() {
    check(
        S::Brouillon,
        Event::Send,
        ctx(D),
        Err(TransitionError::WrongActor { expected: F }),
    );
    check(
        S::MiseADisposition,
        reject(),
        ctx(F),
        Err(TransitionError::WrongActor { expected: D }),
    );
    check(
        S::Deposee,
        Event::MakeAvailable,
        ctx(F),
        Err(TransitionError::WrongActor { expected: Sys }),
    );
    check(
        S::AValider1,
        Event::Validate {
            comment: String::new(),
        },
        a9(D),
        Err(TransitionError::WrongActor { expected: V }),
    );
}

#[test]
fn a9_and_a12_invoices_wait_for_the_valideur() {
    allowed(
        S::Deposee,
        Event::SubmitForValidation,
        a9(Sys),
        S::AValider1,
    );
    not_allowed(S::Deposee, Event::Route, a9(Sys));
    not_allowed(S::Deposee, Event::MakeAvailable, a9(Sys));
    not_allowed(S::Deposee, Event::SubmitForValidation, ctx(Sys));
    allowed(
        S::AValider1,
        Event::Validate {
            comment: "Vous êtes titulaire".to_owned(),
        },
        a9(V),
        S::Validee1,
    );
    allowed(
        S::Validee1,
        Event::MakeAvailable,
        a9(Sys),
        S::MiseADisposition,
    );
    let refuse = Event::RefuseValidation {
        reason: "Travaux non réalisés".to_owned(),
    };
    allowed(S::AValider1, refuse.clone(), a9(V), S::Refusee1);
    check(
        S::AValider1,
        Event::RefuseValidation {
            reason: String::new(),
        },
        a9(V),
        Err(TransitionError::ReasonRequired),
    );
    check(
        S::Refusee1,
        Event::MakeAvailable,
        a9(Sys),
        Err(TransitionError::Terminal(S::Refusee1)),
    );
}

#[test]
fn validation_becomes_tacit_after_fifteen_days() {
    let at = |days: i64| TransitionContext {
        now: day(days),
        ..a9(Sys)
    };
    check(
        S::AValider1,
        Event::ValidationTimeout,
        at(14),
        Err(TransitionError::TooEarly { days_left: 1 }),
    );
    allowed(
        S::AValider1,
        Event::ValidationTimeout,
        at(15),
        S::AbsenceValidation1HorsDelai,
    );
    allowed(
        S::AbsenceValidation1HorsDelai,
        Event::MakeAvailable,
        a9(Sys),
        S::MiseADisposition,
    );
    not_allowed(S::MiseADisposition, Event::ValidationTimeout, at(30));
}

#[test]
fn a_second_valideur_follows_the_first() {
    let double = |actor| TransitionContext {
        second_valideur: true,
        ..a9(actor)
    };
    not_allowed(S::Validee1, Event::MakeAvailable, double(Sys));
    allowed(
        S::Validee1,
        Event::SubmitForValidation,
        double(Sys),
        S::AValider2,
    );
    allowed(
        S::AbsenceValidation1HorsDelai,
        Event::SubmitForValidation,
        double(Sys),
        S::AValider2,
    );
    allowed(
        S::AValider2,
        Event::Validate {
            comment: String::new(),
        },
        double(V),
        S::Validee2,
    );
    allowed(
        S::Validee2,
        Event::MakeAvailable,
        double(Sys),
        S::MiseADisposition,
    );
    allowed(
        S::AValider2,
        Event::RefuseValidation {
            reason: "Non conforme".to_owned(),
        },
        double(V),
        S::Refusee2,
    );
    let late = TransitionContext {
        now: day(20),
        ..double(Sys)
    };
    allowed(
        S::AValider2,
        Event::ValidationTimeout,
        late,
        S::AbsenceValidation2HorsDelai,
    );
    allowed(
        S::AbsenceValidation2HorsDelai,
        Event::MakeAvailable,
        double(Sys),
        S::MiseADisposition,
    );
}

#[test]
fn system_events_drive_routing_and_deadlines() {
    assert_eq!(system_event(S::Deposee, &ctx(Sys)), Some(Event::Route));
    assert_eq!(
        system_event(S::EnCoursAcheminement, &ctx(Sys)),
        Some(Event::MakeAvailable)
    );
    assert_eq!(
        system_event(S::Deposee, &a9(Sys)),
        Some(Event::SubmitForValidation)
    );
    assert_eq!(
        system_event(S::Validee1, &a9(Sys)),
        Some(Event::MakeAvailable)
    );
    assert_eq!(system_event(S::AValider1, &a9(Sys)), None);
    let late = TransitionContext {
        now: day(15),
        ..a9(Sys)
    };
    assert_eq!(
        system_event(S::AValider1, &late),
        Some(Event::ValidationTimeout)
    );
    assert_eq!(system_event(S::MiseADisposition, &ctx(Sys)), None);
    // Every system event proposed on a reachable status is accepted.
    let double = TransitionContext {
        second_valideur: true,
        ..a9(Sys)
    };
    let valideur_statuses = [
        S::Deposee,
        S::Validee1,
        S::AbsenceValidation1HorsDelai,
        S::Validee2,
        S::AbsenceValidation2HorsDelai,
    ];
    let reachable = [(S::Deposee, ctx(Sys)), (S::EnCoursAcheminement, ctx(Sys))]
        .into_iter()
        .chain(
            valideur_statuses
                .into_iter()
                .map(|status| (status, a9(Sys))),
        )
        .chain(valideur_statuses.into_iter().map(|status| (status, double)));
    for (status, context) in reachable {
        let event = system_event(status, &context).expect("a transient status has a system event");
        assert!(
            transition(status, &event, &context).is_ok(),
            "{status:?} {event:?} {context:?}"
        );
    }
}

#[test]
fn a_rejection_must_be_acknowledged_after_seven_days() {
    assert_eq!(
        acknowledgement(S::Rejetee, day(0), day(3), false),
        Acknowledgement::Offered
    );
    assert_eq!(
        acknowledgement(S::Rejetee, day(0), day(7), false),
        Acknowledgement::Mandatory
    );
    assert_eq!(
        acknowledgement(S::Suspendue, day(0), day(9), false),
        Acknowledgement::Mandatory
    );
    assert_eq!(
        acknowledgement(S::Rejetee, day(0), day(9), true),
        Acknowledgement::NotNeeded
    );
    assert_eq!(
        acknowledgement(S::MiseADisposition, day(0), day(9), false),
        Acknowledgement::NotNeeded
    );
}

#[test]
fn tracking_records_history_and_acknowledgement() {
    let mut tracking = Tracking::new(day(0));
    let at = |actor, days| TransitionContext {
        now: day(days),
        ..ctx(actor)
    };
    tracking.apply(&Event::Send, &at(F, 1)).unwrap();
    tracking.apply(&Event::MakeAvailable, &at(Sys, 1)).unwrap();
    tracking.apply(&reject(), &at(D, 4)).unwrap();
    assert_eq!(tracking.status, S::Rejetee);
    let history: Vec<(Status, Date, &str)> = tracking
        .history
        .iter()
        .map(|entry| (entry.status, entry.at, entry.comment.as_str()))
        .collect();
    assert_eq!(
        history,
        [
            (S::Brouillon, day(0), ""),
            (S::Deposee, day(1), ""),
            (S::MiseADisposition, day(1), ""),
            (S::Rejetee, day(4), "Facture en double"),
        ]
    );
    assert_eq!(tracking.acknowledgement(day(10)), Acknowledgement::Offered);
    assert_eq!(
        tracking.acknowledgement(day(11)),
        Acknowledgement::Mandatory
    );
    assert!(tracking.acknowledge());
    assert!(!tracking.acknowledge());
    assert_eq!(
        tracking.acknowledgement(day(11)),
        Acknowledgement::NotNeeded
    );
    assert_eq!(
        tracking.apply(&Event::Readdress, &at(F, 12)),
        Err(TransitionError::Terminal(S::Rejetee))
    );
    assert_eq!(tracking.history.len(), 4);
}

#[test]
fn tracking_uses_its_own_status_date_for_deadlines() {
    let mut tracking = Tracking::new(day(0));
    let at = |actor, days| TransitionContext {
        now: day(days),
        status_since: day(99),
        ..a9(actor)
    };
    tracking.apply(&Event::Send, &at(F, 0)).unwrap();
    tracking
        .apply(&Event::SubmitForValidation, &at(Sys, 0))
        .unwrap();
    assert_eq!(
        tracking.apply(&Event::ValidationTimeout, &at(Sys, 10)),
        Err(TransitionError::TooEarly { days_left: 5 })
    );
    assert_eq!(
        tracking.apply(&Event::ValidationTimeout, &at(Sys, 15)),
        Ok(S::AbsenceValidation1HorsDelai)
    );
}

#[test]
fn statuses_serialise_as_api_codes_and_show_french_labels() {
    assert_eq!(
        serde_json::to_string(&S::MiseADisposition).unwrap(),
        r#""MISE_A_DISPOSITION""#
    );
    assert_eq!(
        serde_json::to_string(&S::AValider1).unwrap(),
        r#""A_VALIDER_1""#
    );
    assert_eq!(
        serde_json::to_string(&S::ARecycler).unwrap(),
        r#""A_RECYCLER""#
    );
    assert_eq!(S::ARecycler.to_string(), "À recycler");
    assert_eq!(
        S::MiseADisposition.label(),
        "Mise à disposition du destinataire"
    );
    let event: Event =
        serde_json::from_str(r#"{"kind": "reject", "reason": "Montant erroné"}"#).unwrap();
    assert_eq!(
        event,
        Event::Reject {
            reason: "Montant erroné".to_owned()
        }
    );
}
