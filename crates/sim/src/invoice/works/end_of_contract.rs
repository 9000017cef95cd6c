//! The end of a works contract (reference 6.4, CCAG-Travaux 2021 art. 12.3–12.4): from the
//! titulaire's projet de décompte final to the décompte général et définitif (DGD).
//!
//! ```text
//! Titulaire --A7 projet de décompte final--> MOE
//! MOE       --A17 projet de décompte général, associated to the A7--> MOA
//! MOA       --A20 décompte général, associated to the A17--> titulaire
//! Titulaire --A8 décompte général signé = DGD--> service financier
//!           (30 days to accept, with or without reserves, or refuse)
//! Tacit route (art. 12.4.4): the MOA is silent -> the titulaire sends a signed projet de
//! décompte général (A22, associated to his A7) to the MOA with copy to the MOE; without an
//! answer within 10 days it becomes a DGD tacite, which the titulaire deposits (A23).
//! ```
//!
//! Confirmed by the reference: the cadres and who deposits A7, A17, A20, A8, A22 and A23; the
//! 30 days of the titulaire; the 10 days of the MOA on the tacit route; a DGD tacite needs a
//! regular projet de décompte final first.
//! **Règles du simulateur** (unconfirmed): the statuses of the end-of-contract pieces and their
//! order; the A22 may be sent at any time before a décompte général is notified (the delay after
//! which the MOA counts as silent is not checked); the A22 replaces the pieces still waiting
//! in the chain (status « Remplacée par A22 », a name that exists in the API); the A23 goes to
//! the service financier; once the 30 days have passed the titulaire can no longer answer
//! (what follows is not simulated); A24 and A25 are not simulated.

use super::{cadre_in, set_status, waited, BillingDossier, WorksDeposit, WorksError, WorksStatus};
use crate::invoice::cadre::Cadre;
use crate::invoice::date::Date;

/// Days the titulaire has to accept (with or without reserves) or refuse the décompte
/// général notified by the MOA (reference 6.4).
pub const DECOMPTE_GENERAL_DAYS: i64 = 30;
/// Days the MOA has to answer the titulaire's A22 before the DGD becomes tacit (art. 12.4.4).
pub const TACIT_DAYS: i64 = 10;

/// The titulaire's signature of a décompte général (A20), which makes it the DGD (A8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DgdSignature {
    /// Number of the A8.
    pub number: String,
    /// SIRET of the signer (the titulaire).
    pub depositor_siret: String,
    /// Reserves, empty when the titulaire accepts without reserves.
    pub reserves: String,
    /// Signature date.
    pub today: Date,
}

impl BillingDossier {
    /// The MOE deposits its projet de décompte général (A17) as an association with the
    /// titulaire's projet de décompte final (A7); it goes to the MOA. Returns the A17's id.
    pub fn associate_projet_decompte_general(
        &mut self,
        final_id: usize,
        deposit: WorksDeposit,
    ) -> Result<usize, WorksError> {
        if self.moe_siret.as_deref() != Some(deposit.depositor_siret.as_str()) {
            return Err(WorksError::WrongActor);
        }
        let corrected = self.take_into_account(
            final_id,
            WorksStatus::MiseADispositionMoe,
            WorksStatus::PriseEnCompteMoe,
            &deposit,
            |projet_final| cadre_in(projet_final, &[Cadre::A7]),
        )?;
        Ok(self.push(
            Cadre::A17,
            deposit,
            WorksStatus::MiseADispositionMoa,
            Some(final_id),
            corrected,
        ))
    }

    /// The MOA notifies the décompte général (A20) to the titulaire, as an association with
    /// the MOE's projet de décompte général (A17) or, on the tacit route, with the titulaire's
    /// A22 while its 10 days run. Returns the A20's id.
    pub fn notify_decompte_general(
        &mut self,
        projet_id: usize,
        deposit: WorksDeposit,
    ) -> Result<usize, WorksError> {
        if deposit.depositor_siret != self.moa_siret {
            return Err(WorksError::WrongActor);
        }
        let today = deposit.today;
        let corrected = self.take_into_account(
            projet_id,
            WorksStatus::MiseADispositionMoa,
            WorksStatus::PriseEnCompteMoa,
            &deposit,
            |projet| match projet.cadre {
                Cadre::A17 => Ok(()),
                Cadre::A22 => {
                    let deadline = projet.status_since.add_days(TACIT_DAYS);
                    if today >= deadline {
                        Err(WorksError::DeadlinePassed { deadline })
                    } else {
                        Ok(())
                    }
                }
                other => Err(WorksError::WrongCadre(other)),
            },
        )?;
        Ok(self.push(
            Cadre::A20,
            deposit,
            WorksStatus::MiseADispositionTitulaire,
            Some(projet_id),
            corrected,
        ))
    }

    /// The titulaire signs the décompte général (A20) within 30 days, with or without
    /// reserves: it becomes the DGD (A8, same amount), sent to the service financier.
    /// Returns the A8's id.
    pub fn sign_decompte_general(
        &mut self,
        decompte_id: usize,
        signature: DgdSignature,
    ) -> Result<usize, WorksError> {
        if signature.depositor_siret != self.titulaire_siret {
            return Err(WorksError::WrongActor);
        }
        let today = signature.today;
        let decompte = self.decompte_waiting_for_titulaire(decompte_id, today)?;
        set_status(decompte, WorksStatus::SigneTitulaire, today);
        let deposit = WorksDeposit {
            number: signature.number,
            depositor_siret: signature.depositor_siret,
            amount_ht: decompte.amount_ht,
            vat_rate: decompte.vat_rate,
            today,
        };
        let id = self.push(
            Cadre::A8,
            deposit,
            WorksStatus::TransmiseServiceFinancier,
            Some(decompte_id),
            false,
        );
        let reserves = signature.reserves.trim();
        self.pieces[id].reserves = (!reserves.is_empty()).then(|| reserves.to_owned());
        Ok(id)
    }

    /// The titulaire refuses the décompte général (A20) within 30 days, giving his reasons.
    pub fn refuse_decompte_general(
        &mut self,
        decompte_id: usize,
        titulaire_siret: &str,
        reason: &str,
        today: Date,
    ) -> Result<(), WorksError> {
        if reason.trim().is_empty() {
            return Err(WorksError::ReasonRequired);
        }
        if titulaire_siret != self.titulaire_siret {
            return Err(WorksError::WrongActor);
        }
        let decompte = self.decompte_waiting_for_titulaire(decompte_id, today)?;
        set_status(decompte, WorksStatus::RefuseTitulaire, today);
        decompte.refusal_reason = Some(reason.trim().to_owned());
        Ok(())
    }

    /// Tacit route: the titulaire sends his signed projet de décompte général (A22),
    /// associated with his projet de décompte final (A7), to the MOA with copy to the MOE.
    /// Pieces of the chain still waiting for the MOE or the MOA are replaced by it (règle du
    /// simulateur). Returns the A22's id.
    pub fn send_projet_tacite(
        &mut self,
        final_id: usize,
        deposit: WorksDeposit,
    ) -> Result<usize, WorksError> {
        if deposit.depositor_siret != self.titulaire_siret {
            return Err(WorksError::WrongActor);
        }
        let projet_final = self
            .pieces
            .get(final_id)
            .ok_or(WorksError::NoSuchPiece(final_id))?;
        if projet_final.cadre != Cadre::A7 {
            return Err(WorksError::WrongCadre(projet_final.cadre));
        }
        if !matches!(
            projet_final.status,
            WorksStatus::MiseADispositionMoe | WorksStatus::PriseEnCompteMoe
        ) {
            return Err(WorksError::WrongStatus(projet_final.status));
        }
        let chain = self.chain_of_final(final_id);
        if chain
            .iter()
            .any(|&idx| matches!(self.pieces[idx].cadre, Cadre::A20 | Cadre::A22))
        {
            return Err(WorksError::AlreadyDone);
        }
        let today = deposit.today;
        for idx in chain.into_iter().chain([final_id]) {
            let piece = &mut self.pieces[idx];
            if matches!(
                piece.status,
                WorksStatus::MiseADispositionMoe | WorksStatus::MiseADispositionMoa
            ) {
                set_status(piece, WorksStatus::RemplaceeParA22, today);
            }
        }
        Ok(self.push(
            Cadre::A22,
            deposit,
            WorksStatus::MiseADispositionMoa,
            Some(final_id),
            false,
        ))
    }

    /// Once the MOA has let 10 days pass without notifying a décompte général, the A22
    /// becomes a DGD tacite (played by the clock).
    pub fn apply_tacit_dgd(&mut self, projet_id: usize, today: Date) -> Result<(), WorksError> {
        let projet = self.piece_in(projet_id, WorksStatus::MiseADispositionMoa)?;
        if projet.cadre != Cadre::A22 {
            return Err(WorksError::WrongCadre(projet.cadre));
        }
        waited(projet, TACIT_DAYS, today)
            .map_err(|days_left| WorksError::MoaStillHasTime { days_left })?;
        set_status(projet, WorksStatus::DgdTacite, today);
        Ok(())
    }

    /// The titulaire deposits the DGD tacite (A23, the A22's amount) once the MOA has let 10
    /// days pass; it goes to the service financier (recipient: règle du simulateur).
    /// Returns the A23's id.
    pub fn deposit_dgd_tacite(
        &mut self,
        projet_id: usize,
        number: &str,
        titulaire_siret: &str,
        today: Date,
    ) -> Result<usize, WorksError> {
        if titulaire_siret != self.titulaire_siret {
            return Err(WorksError::WrongActor);
        }
        let projet = self
            .pieces
            .get(projet_id)
            .ok_or(WorksError::NoSuchPiece(projet_id))?;
        if projet.cadre != Cadre::A22 {
            return Err(WorksError::WrongCadre(projet.cadre));
        }
        if projet.status == WorksStatus::MiseADispositionMoa {
            self.apply_tacit_dgd(projet_id, today)?;
        }
        let projet = &self.pieces[projet_id];
        if projet.status != WorksStatus::DgdTacite {
            return Err(WorksError::WrongStatus(projet.status));
        }
        if self
            .pieces
            .iter()
            .any(|p| p.cadre == Cadre::A23 && p.associated_to == Some(projet_id))
        {
            return Err(WorksError::AlreadyDone);
        }
        let deposit = WorksDeposit {
            number: number.trim().to_owned(),
            depositor_siret: titulaire_siret.to_owned(),
            amount_ht: projet.amount_ht,
            vat_rate: projet.vat_rate,
            today,
        };
        Ok(self.push(
            Cadre::A23,
            deposit,
            WorksStatus::TransmiseServiceFinancier,
            Some(projet_id),
            false,
        ))
    }

    /// The last day the titulaire may answer a décompte général (A20) waiting for him.
    pub fn decompte_general_deadline(&self, decompte_id: usize) -> Option<Date> {
        let piece = self.pieces.get(decompte_id)?;
        (piece.status == WorksStatus::MiseADispositionTitulaire)
            .then(|| piece.status_since.add_days(DECOMPTE_GENERAL_DAYS))
    }

    /// The day an A22 still waiting for the MOA becomes a DGD tacite.
    pub fn tacit_deadline(&self, projet_id: usize) -> Option<Date> {
        let piece = self.pieces.get(projet_id)?;
        (piece.cadre == Cadre::A22 && piece.status == WorksStatus::MiseADispositionMoa)
            .then(|| piece.status_since.add_days(TACIT_DAYS))
    }

    /// The projet de décompte final (A7) at the start of this piece's chain, if any: the A7
    /// itself, or the piece it is associated with, and so on.
    pub fn final_of(&self, piece_id: usize) -> Option<usize> {
        let mut idx = piece_id;
        // A chain is at most A7 → A17 → A20 → A8; the bound only guards against a cycle in a
        // hand-edited world.
        for _ in 0..=self.pieces.len() {
            let piece = self.pieces.get(idx)?;
            if piece.cadre == Cadre::A7 {
                return Some(idx);
            }
            idx = piece.associated_to?;
        }
        None
    }

    /// The pieces that follow the projet de décompte final `final_id` (not the A7 itself).
    pub fn chain_of_final(&self, final_id: usize) -> Vec<usize> {
        (0..self.pieces.len())
            .filter(|&idx| idx != final_id && self.final_of(idx) == Some(final_id))
            .collect()
    }

    fn decompte_waiting_for_titulaire(
        &mut self,
        decompte_id: usize,
        today: Date,
    ) -> Result<&mut super::WorksPiece, WorksError> {
        let decompte = self.piece_in(decompte_id, WorksStatus::MiseADispositionTitulaire)?;
        if decompte.cadre != Cadre::A20 {
            return Err(WorksError::WrongCadre(decompte.cadre));
        }
        let deadline = decompte.status_since.add_days(DECOMPTE_GENERAL_DAYS);
        if today > deadline {
            return Err(WorksError::DeadlinePassed { deadline });
        }
        Ok(decompte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoice::amount::{Amount, VatRate};

    use crate::invoice::works::tests::{dossier, MOA, MOE, TITULAIRE};

    fn day(n: u8) -> Date {
        Date::from_ymd(2025, 9, n).unwrap()
    }

    fn deposit(depositor: &str, number: &str, today: Date) -> WorksDeposit {
        WorksDeposit {
            number: number.to_owned(),
            depositor_siret: depositor.to_owned(),
            amount_ht: Amount::from_cents(9_845_000),
            vat_rate: VatRate::Intermediate,
            today,
        }
    }

    #[test]
    fn a_projet_de_decompte_final_needs_a_moe_and_the_titulaire() {
        let mut without_moe = dossier(false);
        assert_eq!(
            without_moe.deposit_initial(Cadre::A7, deposit(TITULAIRE, "DF", day(1))),
            Err(WorksError::NoMoe)
        );
        let mut with_moe = dossier(true);
        assert_eq!(
            with_moe.deposit_initial(Cadre::A7, deposit(MOE, "DF", day(1))),
            Err(WorksError::WrongActor)
        );
    }

    #[test]
    fn every_piece_of_the_chain_leads_back_to_its_projet_de_decompte_final() {
        let mut dossier = dossier(true);
        let monthly = dossier
            .deposit_initial(Cadre::A4, deposit(TITULAIRE, "PD", day(1)))
            .unwrap();
        let final_id = dossier
            .deposit_initial(Cadre::A7, deposit(TITULAIRE, "DF", day(1)))
            .unwrap();
        let projet = dossier
            .associate_projet_decompte_general(final_id, deposit(MOE, "PDG", day(2)))
            .unwrap();
        let decompte = dossier
            .notify_decompte_general(projet, deposit(MOA, "DG", day(3)))
            .unwrap();
        assert_eq!(
            dossier.decompte_general_deadline(decompte),
            Some(Date::from_ymd(2025, 10, 3).unwrap())
        );
        assert_eq!(dossier.final_of(decompte), Some(final_id));
        assert_eq!(dossier.final_of(monthly), None);
        assert_eq!(dossier.chain_of_final(final_id), [projet, decompte]);
        assert_eq!(
            dossier.send_projet_tacite(final_id, deposit(TITULAIRE, "PT", day(4))),
            Err(WorksError::AlreadyDone)
        );
    }
}
