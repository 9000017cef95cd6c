//! The simulated clock: what happens by itself when time passes.
//!
//! Time moves only through actions (`advance_clock`, `advance_days`,
//! `advance_to_next_event`). Moving it plays, day by day, every event that falls due:
//!
//! 1. Chorus Pro routes sent invoices: Déposée → En cours d'acheminement → Mise à disposition
//!    (A9/A12: → Mise à disposition du premier valideur), one step per simulated day
//!    (simulator choice, so that the learner sees each status);
//! 2. a validated A9/A12 invoice is made available the next day; without an answer from the
//!    valideur it is validated tacitly after 15 days (reference 4.3);
//! 3. the recipient plays its scripted [`RecipientStep`]s (reference 4.2, 3.3 b);
//! 4. in works dossiers, the actors the scenario plays deposit their pieces (MOE: A15 from the
//!    projet, A17 from the projet de décompte final; MOA: A19 from the état d'acompte, A20 from
//!    the projet de décompte général or the A22, unless the scenario keeps it silent), a
//!    sous-traitant's A10 is validated tacitly after 15 days (reference 6.3), and an A22 left
//!    unanswered by the MOA for 10 days becomes a DGD tacite (reference 6.4);
//! 5. the simulated support answers sollicitations.
//!
//! [`next_event_day`] tells the browser when the next thing will happen
//! (« jusqu'au prochain événement »).

use crate::invoice::status::VALIDATION_DAYS;
use crate::invoice::works::{TACIT_DAYS, TITULAIRE_VALIDATION_DAYS};
use crate::invoice::{
    system_event, Actor, Cadre, Date, SollicitationActor, SollicitationEvent, SollicitationStatus,
    Status, TransitionContext, WorksDeposit, WorksStatus,
};
use crate::records::{
    day_after, Invoice, RecipientStep, SollicitationMessage, WorksRole, MAX_DAYS, MINUTES_PER_DAY,
};
use crate::world::{EmailKind, World};

/// Upper bound on the events played by one move of the clock, so that no scenario can make
/// it loop forever.
pub const MAX_EVENTS_PER_MOVE: usize = 10_000;

/// What is due, and for which record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    Invoice(usize),
    WorksTacit(usize, usize),
    WorksMoe(usize, usize),
    WorksMoa(usize, usize),
    WorksTacitDgd(usize, usize),
    Sollicitation(usize),
}

/// The day of the next scheduled event, if any (it may be today, or even earlier when a
/// scenario starts with an overdue deadline: it is then played at the next move of the clock).
pub fn next_event_day(world: &World) -> Option<Date> {
    due_list(world).into_iter().map(|(day, _)| day).min()
}

/// Moves the clock forward to `target` (minutes), playing every event due on the way.
/// Returns the number of events played.
pub(crate) fn advance_to(world: &mut World, target: u64) -> usize {
    let target_day = day_of(world, target);
    let mut played = 0;
    while played < MAX_EVENTS_PER_MOVE {
        let Some(day) = next_event_day(world) else {
            break;
        };
        if day > target_day {
            break;
        }
        let day = day.max(world.today());
        world.clock = world.clock.max(minute_of(world, day));
        let changed = play_due(world, day);
        if changed == 0 {
            break;
        }
        played += changed;
    }
    world.clock = world.clock.max(target);
    played
}

/// The first minute of a simulated day.
pub fn minute_of(world: &World, day: Date) -> u64 {
    let days = world.start_day().days_until(day).max(0);
    u64::try_from(days)
        .unwrap_or(0)
        .min(MAX_DAYS)
        .saturating_mul(MINUTES_PER_DAY)
}

fn day_of(world: &World, minute: u64) -> Date {
    day_after(world.start_day(), minute)
}

fn due_list(world: &World) -> Vec<(Date, Due)> {
    let mut res = Vec::new();
    for (idx, invoice) in world.invoices.iter().enumerate() {
        if let Some(day) = invoice_due(world, invoice) {
            res.push((day, Due::Invoice(idx)));
        }
    }
    for (dossier_idx, works) in world.works.iter().enumerate() {
        let plays = |role| !works.learner_roles.contains(&role);
        for (piece_idx, piece) in works.dossier.pieces.iter().enumerate() {
            let since = piece.status_since;
            match piece.status {
                WorksStatus::AValiderTitulaire => res.push((
                    since.add_days(TITULAIRE_VALIDATION_DAYS),
                    Due::WorksTacit(dossier_idx, piece_idx),
                )),
                WorksStatus::MiseADispositionMoe
                    if plays(WorksRole::Moe)
                        && matches!(
                            piece.cadre,
                            Cadre::A4 | Cadre::A7 | Cadre::A10 | Cadre::A13
                        ) =>
                {
                    res.push((
                        since.add_days(i64::from(works.moe_days)),
                        Due::WorksMoe(dossier_idx, piece_idx),
                    ));
                }
                WorksStatus::MiseADispositionMoa => {
                    let moa_answers = plays(WorksRole::Moa)
                        && match piece.cadre {
                            Cadre::A5 | Cadre::A15 => true,
                            Cadre::A17 => !works.moa_silent,
                            // The MOA answers an A22 only within its 10 days.
                            Cadre::A22 => {
                                !works.moa_silent && i64::from(works.moa_days) < TACIT_DAYS
                            }
                            _ => false,
                        };
                    if moa_answers {
                        res.push((
                            since.add_days(i64::from(works.moa_days)),
                            Due::WorksMoa(dossier_idx, piece_idx),
                        ));
                    }
                    if piece.cadre == Cadre::A22 {
                        res.push((
                            since.add_days(TACIT_DAYS),
                            Due::WorksTacitDgd(dossier_idx, piece_idx),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    for (idx, sollicitation) in world.sollicitations.iter().enumerate() {
        if matches!(
            sollicitation.status,
            SollicitationStatus::Envoyee
                | SollicitationStatus::EnCours
                | SollicitationStatus::Renvoyee
        ) {
            res.push((
                sollicitation
                    .status_since
                    .add_days(i64::from(world.helpdesk.answer_after_days)),
                Due::Sollicitation(idx),
            ));
        }
    }
    res
}

/// The recipient steps that apply to an invoice: its own, or its recipient's.
pub fn recipient_steps<'a>(world: &'a World, invoice: &'a Invoice) -> &'a [RecipientStep] {
    match &invoice.behaviour {
        Some(steps) => steps,
        None => world
            .public_structure(&invoice.form.recipient_siret)
            .map_or(&[], |p| p.behaviour.as_slice()),
    }
}

fn invoice_due(world: &World, invoice: &Invoice) -> Option<Date> {
    let since = invoice.tracking.since;
    match invoice.tracking.status {
        Status::Deposee
        | Status::EnCoursAcheminement
        | Status::Validee1
        | Status::AbsenceValidation1HorsDelai
        | Status::Validee2
        | Status::AbsenceValidation2HorsDelai => Some(since.add_days(1)),
        Status::AValider1 | Status::AValider2 => Some(since.add_days(VALIDATION_DAYS)),
        status if held_by_recipient(status) => recipient_steps(world, invoice)
            .get(invoice.next_step)
            .map(|step| since.add_days(i64::from(step.after_days))),
        _ => None,
    }
}

/// Statuses in which the recipient decides what happens next.
fn held_by_recipient(status: Status) -> bool {
    matches!(
        status,
        Status::MiseADisposition
            | Status::Completee
            | Status::ServiceFait
            | Status::Mandatee
            | Status::MiseADispositionComptable
            | Status::Comptabilisee
    )
}

/// The transition context of an invoice for `actor` on `day`.
pub(crate) fn transition_context(
    world: &World,
    invoice: &Invoice,
    actor: Actor,
    day: Date,
) -> TransitionContext {
    TransitionContext {
        actor,
        now: day,
        status_since: invoice.tracking.since,
        needs_valideur: invoice.form.cadre.is_some_and(Cadre::needs_valideur),
        second_valideur: false,
        reports_payment_status: world
            .public_structure(&invoice.form.recipient_siret)
            .is_none_or(|p| !p.settings.payment_status_not_reported),
    }
}

/// Plays everything due on or before `day`, once per record; returns how many records changed.
fn play_due(world: &mut World, day: Date) -> usize {
    let due: Vec<Due> = due_list(world)
        .into_iter()
        .filter(|(at, _)| *at <= day)
        .map(|(_, due)| due)
        .collect();
    due.into_iter()
        .filter(|due| match *due {
            Due::Invoice(idx) => play_invoice(world, idx, day),
            Due::WorksTacit(dossier, piece) => world.works[dossier]
                .dossier
                .apply_tacit_validation(piece, day)
                .is_ok(),
            Due::WorksMoe(dossier, piece) => play_moe(world, dossier, piece, day),
            Due::WorksMoa(dossier, piece) => play_moa(world, dossier, piece, day),
            Due::WorksTacitDgd(dossier, piece) => world.works[dossier]
                .dossier
                .apply_tacit_dgd(piece, day)
                .is_ok(),
            Due::Sollicitation(idx) => play_helpdesk(world, idx, day),
        })
        .count()
}

fn play_invoice(world: &mut World, idx: usize, day: Date) -> bool {
    let invoice = &world.invoices[idx];
    let status = invoice.tracking.status;
    if !held_by_recipient(status) {
        let ctx = transition_context(world, invoice, Actor::Systeme, day);
        let Some(event) = system_event(status, &ctx) else {
            return false;
        };
        return world.invoices[idx].tracking.apply(&event, &ctx).is_ok();
    }
    let Some(step) = recipient_steps(world, invoice)
        .get(invoice.next_step)
        .cloned()
    else {
        return false;
    };
    let ctx = transition_context(world, invoice, Actor::Destinataire, day);
    let event = step.action.event(&step.reason);
    let invoice = &mut world.invoices[idx];
    // A step the status machine refuses is skipped, so the script always moves on.
    invoice.next_step += 1;
    if let Ok(next) = invoice.tracking.apply(&event, &ctx) {
        if matches!(
            next,
            Status::Rejetee | Status::Suspendue | Status::ARecycler
        ) {
            notify_return(world, idx, next, &step.reason);
        }
    }
    true
}

fn notify_return(world: &mut World, idx: usize, status: Status, reason: &str) {
    let invoice = &world.invoices[idx];
    let invoice_id = invoice.id;
    let number = invoice.form.number.clone();
    let to = world
        .account(&invoice.created_by)
        .map_or_else(|| invoice.created_by.clone(), |a| a.contact_email.clone());
    let todo = match status {
        Status::Rejetee => "La facture est rejetée définitivement : acquittez le rejet, puis déposez une nouvelle facture avec un nouveau numéro.",
        Status::Suspendue => "Ajoutez les pièces justificatives manquantes pour compléter la facture.",
        _ => "Corrigez le SIRET du destinataire, le code service ou le numéro d'engagement, puis renvoyez la facture sous le même numéro.",
    };
    let reason = if reason.trim().is_empty() {
        String::new()
    } else {
        format!("\nMotif : {}", reason.trim())
    };
    crate::action::send_email(
        world,
        &to,
        &format!("Facture n° {number} : {}", status.label()),
        format!(
            "Le destinataire a changé le statut de votre facture n° {number} : « {} ».{reason}\n{todo}",
            status.label()
        ),
        EmailKind::InvoiceReturned { invoice_id, status },
    );
}

fn play_moe(world: &mut World, dossier_idx: usize, piece: usize, day: Date) -> bool {
    let works = &mut world.works[dossier_idx];
    let Some(moe) = works.dossier.moe_siret.clone() else {
        return false;
    };
    let projet = &works.dossier.pieces[piece];
    let end_of_contract = projet.cadre == Cadre::A7;
    let prefix = if end_of_contract { "PDG" } else { "EA" };
    let deposit = WorksDeposit {
        number: format!("{prefix}-{}", projet.number),
        depositor_siret: moe,
        amount_ht: projet.amount_ht,
        vat_rate: projet.vat_rate,
        today: day,
    };
    if end_of_contract {
        works
            .dossier
            .associate_projet_decompte_general(piece, deposit)
            .is_ok()
    } else {
        works.dossier.associate_etat_acompte(piece, deposit).is_ok()
    }
}

fn play_moa(world: &mut World, dossier_idx: usize, piece: usize, day: Date) -> bool {
    let works = &mut world.works[dossier_idx];
    let received = &works.dossier.pieces[piece];
    let end_of_contract = matches!(received.cadre, Cadre::A17 | Cadre::A22);
    let prefix = if end_of_contract { "DG" } else { "EAV" };
    let deposit = WorksDeposit {
        number: format!("{prefix}-{}", received.number),
        depositor_siret: works.dossier.moa_siret.clone(),
        amount_ht: received.amount_ht,
        vat_rate: received.vat_rate,
        today: day,
    };
    if end_of_contract {
        works
            .dossier
            .notify_decompte_general(piece, deposit)
            .is_ok()
    } else {
        works
            .dossier
            .associate_etat_acompte_valide(piece, deposit)
            .is_ok()
    }
}

fn play_helpdesk(world: &mut World, idx: usize, day: Date) -> bool {
    let helpdesk = world.helpdesk.clone();
    let sollicitation = &mut world.sollicitations[idx];
    let asked_before = sollicitation
        .messages
        .iter()
        .any(|m| m.from == SollicitationActor::Handler);
    let (event, text) = if helpdesk.request_information_first && !asked_before {
        (
            SollicitationEvent::RequestInformation,
            "Pouvez-vous compléter votre demande (numéro de facture, SIRET du destinataire, capture d'écran) ?".to_owned(),
        )
    } else {
        (SollicitationEvent::Answer, helpdesk.answer)
    };
    let Ok(next) = crate::invoice::sollicitation_transition(
        sollicitation.status,
        event,
        SollicitationActor::Handler,
    ) else {
        return false;
    };
    sollicitation.status = next;
    sollicitation.status_since = day;
    sollicitation.messages.push(SollicitationMessage {
        from: SollicitationActor::Handler,
        at: day,
        text,
    });
    let sollicitation_id = sollicitation.id;
    let number = sollicitation.number.clone();
    let login = sollicitation.created_by.clone();
    let to = world
        .account(&login)
        .map_or(login, |a| a.contact_email.clone());
    crate::action::send_email(
        world,
        &to,
        &format!("Sollicitation n° {number} : {}", next.label()),
        format!(
            "Votre sollicitation n° {number} a reçu une réponse. Consultez-la dans l'espace « Sollicitations émises »."
        ),
        EmailKind::SollicitationAnswered { sollicitation_id },
    );
    true
}
