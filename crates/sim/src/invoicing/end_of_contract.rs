//! The learner's operations at the end of a works contract (reference 6.4): the MOE's
//! projet de décompte général (A17), the MOA's décompte général (A20), the titulaire's
//! signature (A8, the DGD) or refusal, and the tacit route (A22, then A23).
//! The titulaire's projet de décompte final (A7) is an initial deposit
//! ([`super::deposit_works_piece`]).

use super::{
    answering_deposit, check_piece_input, open_works, role_step_message, works_error_with_rule,
    works_outcome, PieceInput,
};
use crate::action::{Applied, UserRef};
use crate::invoice::{Amount, DgdSignature, WorksDeposit, WorksError};
use crate::records::{WorksDossier, WorksRole};
use crate::validate::FieldError;
use crate::world::World;

/// The « Pourquoi ? » of every end-of-contract refusal.
const RULE: &str = "Fin de marché : le titulaire dépose le projet de décompte final (A7) ; la maîtrise d'œuvre en tire le projet de décompte général (A17) ; la maîtrise d'ouvrage notifie le décompte général (A20) ; le titulaire a 30 jours pour le signer, avec ou sans réserves (c'est alors le décompte général et définitif, A8, transmis au service financier), ou pour le refuser. Si la maîtrise d'ouvrage se tait, le titulaire lui envoie un projet de décompte général signé (A22), avec copie à la maîtrise d'œuvre ; sans réponse sous 10 jours, le décompte devient tacite et le titulaire dépose le DGD tacite (A23).";

pub(crate) fn create_projet_decompte_general(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    final_id: usize,
    input: PieceInput,
) -> Applied {
    let (works, deposit) = answer(world, actor, dossier_id, WorksRole::Moe, final_id, &input)?;
    let id = works
        .dossier
        .associate_projet_decompte_general(final_id, deposit)
        .map_err(end_error)?;
    Ok(works_outcome(
        "Le projet de décompte général (A17) est déposé en association avec le projet de décompte final et mis à disposition de la maîtrise d'ouvrage.".to_owned(),
        dossier_id,
        id,
    ))
}

pub(crate) fn notify_decompte_general(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    projet_id: usize,
    input: PieceInput,
) -> Applied {
    let (works, deposit) = answer(world, actor, dossier_id, WorksRole::Moa, projet_id, &input)?;
    let id = works
        .dossier
        .notify_decompte_general(projet_id, deposit)
        .map_err(end_error)?;
    let deadline = works
        .dossier
        .decompte_general_deadline(id)
        .expect("a décompte général just notified waits for the titulaire");
    Ok(works_outcome(
        format!("Le décompte général (A20) est notifié au titulaire : il a jusqu'au {deadline} (30 jours) pour le signer, avec ou sans réserves, ou le refuser."),
        dossier_id,
        id,
    ))
}

pub(crate) fn sign_decompte_general(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    decompte_id: usize,
    number: &str,
    reserves: &str,
) -> Applied {
    let (today, works) = open_works(world, actor, dossier_id)?;
    require_role(works.current_role, WorksRole::Titulaire)?;
    check_number(works, number)?;
    let signature = DgdSignature {
        number: number.trim().to_owned(),
        depositor_siret: works.dossier.titulaire_siret.clone(),
        reserves: reserves.to_owned(),
        today,
    };
    let id = works
        .dossier
        .sign_decompte_general(decompte_id, signature)
        .map_err(end_error)?;
    let message = if works.dossier.pieces[id].reserves.is_some() {
        "Le décompte général est signé avec réserves : le décompte général et définitif (A8) est transmis au service financier."
    } else {
        "Le décompte général est signé sans réserves : le décompte général et définitif (A8) est transmis au service financier."
    };
    Ok(works_outcome(message.to_owned(), dossier_id, id))
}

pub(crate) fn refuse_decompte_general(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    decompte_id: usize,
    reason: &str,
) -> Applied {
    let (today, works) = open_works(world, actor, dossier_id)?;
    require_role(works.current_role, WorksRole::Titulaire)?;
    let titulaire = works.dossier.titulaire_siret.clone();
    works
        .dossier
        .refuse_decompte_general(decompte_id, &titulaire, reason, today)
        .map_err(end_error)?;
    Ok(works_outcome(
        "Le décompte général est refusé : il ne devient pas le décompte général et définitif."
            .to_owned(),
        dossier_id,
        decompte_id,
    ))
}

pub(crate) fn send_projet_tacite(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    final_id: usize,
    input: PieceInput,
) -> Applied {
    let (works, deposit) = answer(
        world,
        actor,
        dossier_id,
        WorksRole::Titulaire,
        final_id,
        &input,
    )?;
    let id = works
        .dossier
        .send_projet_tacite(final_id, deposit)
        .map_err(end_error)?;
    let deadline = works
        .dossier
        .tacit_deadline(id)
        .expect("an A22 just sent waits for the MOA");
    Ok(works_outcome(
        format!("Le projet de décompte général signé (A22) est envoyé à la maîtrise d'ouvrage, avec copie à la maîtrise d'œuvre. Sans décompte général notifié d'ici le {deadline} (10 jours), il devient tacite."),
        dossier_id,
        id,
    ))
}

pub(crate) fn deposit_dgd_tacite(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    projet_id: usize,
    number: &str,
) -> Applied {
    let (today, works) = open_works(world, actor, dossier_id)?;
    require_role(works.current_role, WorksRole::Titulaire)?;
    check_number(works, number)?;
    let titulaire = works.dossier.titulaire_siret.clone();
    let id = works
        .dossier
        .deposit_dgd_tacite(projet_id, number, &titulaire, today)
        .map_err(end_error)?;
    Ok(works_outcome(
        "Le décompte général et définitif tacite (A23) est déposé et transmis au service financier.".to_owned(),
        dossier_id,
        id,
    ))
}

/// The start of a piece the learner deposits as `role` in answer to the piece `base_id`
/// (A17, A20, A22): he plays that role, the number is new, and the deposit is made in the
/// name of his structure, by default at the rate of the piece it answers.
fn answer<'w>(
    world: &'w mut World,
    actor: &UserRef,
    dossier_id: u64,
    role: WorksRole,
    base_id: usize,
    input: &PieceInput,
) -> Result<(&'w mut WorksDossier, WorksDeposit), Vec<FieldError>> {
    let (today, works) = open_works(world, actor, dossier_id)?;
    require_role(works.current_role, role)?;
    check_piece_input(works, input)?;
    let deposit = answering_deposit(works, role, base_id, input, today).map_err(end_error)?;
    Ok((works, deposit))
}

fn end_error(error: WorksError) -> Vec<FieldError> {
    works_error_with_rule(error, RULE)
}

fn require_role(current: Option<WorksRole>, expected: WorksRole) -> Result<(), Vec<FieldError>> {
    if current == Some(expected) {
        return Ok(());
    }
    Err(vec![FieldError::new(
        "role",
        "works-wrong-role",
        role_step_message(expected),
        RULE,
    )])
}

/// The piece number must be given and new in the dossier (the amount is the received piece's).
fn check_number(works: &WorksDossier, number: &str) -> Result<(), Vec<FieldError>> {
    check_piece_input(
        works,
        &PieceInput {
            number: number.to_owned(),
            amount_ht: Amount::ZERO,
            vat_rate: None,
        },
    )
}
