//! Works invoicing (« Factures de travaux », reference section 6): the [`BillingDossier`]
//! (dossier de facturation) of one monthly payment.
//!
//! ```text
//! Titulaire --A4 projet de décompte mensuel--> MOE            (A10 sous-traitant: titulaire validates first; A13 cotraitant)
//! MOE       --A15 état d'acompte, associated to the A4--> MOA (within 7 days)
//! MOA       --A19 état d'acompte validé, associated to the A15--> service financier
//! No MOE: the titulaire deposits A5 (état d'acompte) directly to the MOA.
//! ```
//!
//! Confirmed rules: the MOE has 7 days; an amount disagreement is not a reason to refuse — the
//! MOE writes the amount it accepts in its own état d'acompte, and the titulaire then has 30 days
//! to object; a sous-traitant's piece waits 15 days for the titulaire, then is validated
//! tacitly; works pieces are deposited, never entered through the saisie form.
//! The exact order of the works statuses is *inferred* by the reference (unconfirmed).
//!
//! The end of the contract (A7 → A17 → A20 → A8, and the tacit route A22 → A23) is in
//! [`end_of_contract`].

use core::fmt;

use serde::{Deserialize, Serialize};

use super::amount::{Amount, VatRate};
use super::cadre::Cadre;
use super::date::Date;

pub mod end_of_contract;

pub use end_of_contract::{DgdSignature, DECOMPTE_GENERAL_DAYS, TACIT_DAYS};

/// Status of a works piece. Names exist in the API; their order is *inferred* (reference 6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorksStatus {
    /// A10 waiting for the titulaire's validation (15 days, then tacit).
    AValiderTitulaire,
    /// Mise à disposition MOE (C27).
    MiseADispositionMoe,
    /// Prise en compte MOE (C29): the MOE associated its état d'acompte.
    PriseEnCompteMoe,
    /// Refusée MOE (C19/C28): stops the whole circuit.
    RefuseeMoe,
    /// Mise à disposition MOA (C30).
    MiseADispositionMoa,
    /// Prise en compte MOA (C38): the MOA associated its état d'acompte validé.
    PriseEnCompteMoa,
    /// Refusée MOA (C31/C32).
    RefuseeMoa,
    /// Sent to the service financier, whose « Factures reçues » then use the invoice
    /// statuses of [`super::Status`] from « Mise à disposition du destinataire ».
    TransmiseServiceFinancier,
    /// A décompte général (A20) waiting for the titulaire, who has 30 days to sign or refuse
    /// it (status name: règle du simulateur).
    MiseADispositionTitulaire,
    /// The décompte général was signed by the titulaire: the A8 (DGD) follows it (status
    /// name: règle du simulateur).
    SigneTitulaire,
    /// The décompte général was refused by the titulaire (status name: règle du simulateur).
    RefuseTitulaire,
    /// REMPLACEE_PAR_A22 (name from the API): a piece still waiting for the MOE or the MOA
    /// when the titulaire took the tacit route; using it this way is a règle du simulateur.
    RemplaceeParA22,
    /// The A22 was left unanswered by the MOA for 10 days: it is a DGD tacite, which the
    /// titulaire deposits as A23 (status name: règle du simulateur).
    DgdTacite,
}

/// One piece of the dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksPiece {
    /// Its cadre (A4, A5, A10, A13, A15, A19).
    pub cadre: Cadre,
    /// The number given by its depositor.
    pub number: String,
    /// SIRET of the structure that deposited it.
    pub depositor_siret: String,
    /// The amount HT claimed (projet) or accepted (état d'acompte).
    pub amount_ht: Amount,
    /// The VAT rate of the works (often 10 % or 20 %; 0 % under autoliquidation).
    pub vat_rate: VatRate,
    /// Deposit date.
    pub deposited_on: Date,
    /// Current status.
    pub status: WorksStatus,
    /// When the current status was entered.
    pub status_since: Date,
    /// The piece this one is associated to (the projet for an A15, the A15 for an A19).
    pub associated_to: Option<usize>,
    /// Whether the amount differs from the piece it is associated to (the MOE corrected it);
    /// the titulaire then has 30 days to object.
    pub amount_corrected: bool,
    /// On an A8: the reserves the titulaire wrote when signing the décompte général.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserves: Option<String>,
    /// On an A20 the titulaire refused: his reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
}

/// The dossier de facturation: the linked pieces for one payment, and its actors' SIRETs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BillingDossier {
    /// The titulaire of the works contract.
    pub titulaire_siret: String,
    /// The MOE, if the contract has one.
    pub moe_siret: Option<String>,
    /// The MOA (the public buyer or its delegate).
    pub moa_siret: String,
    /// The service financier that pays.
    pub payer_siret: String,
    /// The pieces, in deposit order; indices are piece ids.
    pub pieces: Vec<WorksPiece>,
}

/// What a deposit needs besides the cadre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksDeposit {
    /// Piece number.
    pub number: String,
    /// SIRET of the depositor.
    pub depositor_siret: String,
    /// Amount HT.
    pub amount_ht: Amount,
    /// VAT rate.
    pub vat_rate: VatRate,
    /// Deposit date.
    pub today: Date,
}

/// Why a refusal is given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorksRefusalReason {
    /// « Erreur de montant »: the portal shows a reminder that it is not a valid reason
    /// (KB0011867); the simulator refuses it outright (simulator choice).
    ErreurDeMontant,
    /// Any other reason, as typed.
    Autre(String),
}

/// Why a works action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorksError {
    /// This cadre cannot be used for this step.
    WrongCadre(Cadre),
    /// The depositor is not the actor of this step.
    WrongActor,
    /// No piece with this id.
    NoSuchPiece(usize),
    /// The piece is not waiting for this step.
    WrongStatus(WorksStatus),
    /// A4/A10/A13 need a MOE in the dossier; without one the titulaire deposits A5.
    NoMoe,
    /// A5 is for contracts without a MOE.
    HasMoe,
    /// An amount disagreement is corrected in the next piece, not refused.
    AmountErrorIsNotARefusalReason,
    /// A refusal needs a reason.
    ReasonRequired,
    /// The titulaire's validation deadline has not passed yet.
    TooEarly {
        /// Days left.
        days_left: i64,
    },
    /// The deadline to answer this piece has passed (30 days for the titulaire on a décompte
    /// général, 10 days for the MOA on an A22).
    DeadlinePassed {
        /// The last day (titulaire) or the day the A22 became tacit (MOA).
        deadline: Date,
    },
    /// The MOA still has time to answer the A22: the DGD is not tacit yet.
    MoaStillHasTime {
        /// Days left.
        days_left: i64,
    },
    /// This step was already taken for this chain (a décompte général or an A22 already
    /// exists, the A23 was already deposited).
    AlreadyDone,
}

/// Days the MOE has to process a projet de décompte mensuel (reference 6.3).
pub const MOE_DAYS: i64 = 7;
/// Days the titulaire has to validate a sous-traitant's piece before tacit validation.
pub const TITULAIRE_VALIDATION_DAYS: i64 = 15;
/// Days the titulaire has to object to a corrected amount (CCAG art. 8.2 via AIFE).
pub const OBJECTION_DAYS: i64 = 30;

impl BillingDossier {
    /// Initial deposit of a projet de décompte mensuel (A4 titulaire, A10 sous-traitant, A13
    /// cotraitant) to the MOE, of an état d'acompte A5 to the MOA when there is no MOE, or of
    /// the titulaire's projet de décompte final (A7) to the MOE (a contract without MOE cannot
    /// use A7 in the simulator: règle du simulateur). Returns the new piece's id.
    pub fn deposit_initial(
        &mut self,
        cadre: Cadre,
        deposit: WorksDeposit,
    ) -> Result<usize, WorksError> {
        let status = match cadre {
            Cadre::A4 | Cadre::A7 | Cadre::A10 | Cadre::A13 if self.moe_siret.is_none() => {
                return Err(WorksError::NoMoe)
            }
            Cadre::A4 | Cadre::A7 if deposit.depositor_siret != self.titulaire_siret => {
                return Err(WorksError::WrongActor)
            }
            Cadre::A4 | Cadre::A7 | Cadre::A13 => WorksStatus::MiseADispositionMoe,
            Cadre::A10 => WorksStatus::AValiderTitulaire,
            Cadre::A5 if self.moe_siret.is_some() => return Err(WorksError::HasMoe),
            Cadre::A5 if deposit.depositor_siret != self.titulaire_siret => {
                return Err(WorksError::WrongActor)
            }
            Cadre::A5 => WorksStatus::MiseADispositionMoa,
            other => return Err(WorksError::WrongCadre(other)),
        };
        Ok(self.push(cadre, deposit, status, None, false))
    }

    /// The titulaire validates a sous-traitant's A10, which goes on to the MOE.
    pub fn validate_subcontractor_piece(
        &mut self,
        piece_id: usize,
        titulaire_siret: &str,
        today: Date,
    ) -> Result<(), WorksError> {
        if titulaire_siret != self.titulaire_siret {
            return Err(WorksError::WrongActor);
        }
        let piece = self.piece_in(piece_id, WorksStatus::AValiderTitulaire)?;
        set_status(piece, WorksStatus::MiseADispositionMoe, today);
        Ok(())
    }

    /// Tacit validation of an A10 once the titulaire has let 15 days pass.
    pub fn apply_tacit_validation(
        &mut self,
        piece_id: usize,
        today: Date,
    ) -> Result<(), WorksError> {
        let piece = self.piece_in(piece_id, WorksStatus::AValiderTitulaire)?;
        waited(piece, TITULAIRE_VALIDATION_DAYS, today)
            .map_err(|days_left| WorksError::TooEarly { days_left })?;
        set_status(piece, WorksStatus::MiseADispositionMoe, today);
        Ok(())
    }

    /// The MOE deposits its état d'acompte (A15) **as an association** with a received
    /// projet de décompte mensuel, with the amount it accepts (course item « MOE : déposer un
    /// état d'acompte à partir d'une facture travaux »). Returns the A15's id.
    pub fn associate_etat_acompte(
        &mut self,
        projet_id: usize,
        deposit: WorksDeposit,
    ) -> Result<usize, WorksError> {
        if self.moe_siret.as_deref() != Some(deposit.depositor_siret.as_str()) {
            return Err(WorksError::WrongActor);
        }
        let corrected = self.take_into_account(
            projet_id,
            WorksStatus::MiseADispositionMoe,
            WorksStatus::PriseEnCompteMoe,
            &deposit,
            |projet| cadre_in(projet, &[Cadre::A4, Cadre::A10, Cadre::A13]),
        )?;
        Ok(self.push(
            Cadre::A15,
            deposit,
            WorksStatus::MiseADispositionMoa,
            Some(projet_id),
            corrected,
        ))
    }

    /// The MOA deposits the état d'acompte validé (A19) as an association with the received
    /// état d'acompte (A15, or A5 without MOE); it goes to the service financier.
    pub fn associate_etat_acompte_valide(
        &mut self,
        etat_id: usize,
        deposit: WorksDeposit,
    ) -> Result<usize, WorksError> {
        if deposit.depositor_siret != self.moa_siret {
            return Err(WorksError::WrongActor);
        }
        let corrected = self.take_into_account(
            etat_id,
            WorksStatus::MiseADispositionMoa,
            WorksStatus::PriseEnCompteMoa,
            &deposit,
            |etat| cadre_in(etat, &[Cadre::A5, Cadre::A15]),
        )?;
        Ok(self.push(
            Cadre::A19,
            deposit,
            WorksStatus::TransmiseServiceFinancier,
            Some(etat_id),
            corrected,
        ))
    }

    /// The MOE refuses a projet de décompte (stopping the circuit) or the MOA refuses an état
    /// d'acompte. « Erreur de montant » is refused: amounts are corrected, not refused.
    pub fn refuse(
        &mut self,
        piece_id: usize,
        actor_siret: &str,
        reason: &WorksRefusalReason,
        today: Date,
    ) -> Result<(), WorksError> {
        match reason {
            WorksRefusalReason::ErreurDeMontant => {
                return Err(WorksError::AmountErrorIsNotARefusalReason)
            }
            WorksRefusalReason::Autre(text) if text.trim().is_empty() => {
                return Err(WorksError::ReasonRequired)
            }
            WorksRefusalReason::Autre(_) => {}
        }
        let is_moe = self.moe_siret.as_deref() == Some(actor_siret);
        let is_moa = actor_siret == self.moa_siret;
        let is_titulaire = actor_siret == self.titulaire_siret;
        let piece = self
            .pieces
            .get_mut(piece_id)
            .ok_or(WorksError::NoSuchPiece(piece_id))?;
        let next = match piece.status {
            WorksStatus::MiseADispositionMoe if is_moe => WorksStatus::RefuseeMoe,
            WorksStatus::MiseADispositionMoa if is_moa => WorksStatus::RefuseeMoa,
            // A sous-traitant's A10 refused by the titulaire (the reference only says the
            // titulaire validates it: règle du simulateur).
            WorksStatus::AValiderTitulaire if is_titulaire => WorksStatus::RefuseTitulaire,
            WorksStatus::AValiderTitulaire => return Err(WorksError::WrongActor),
            WorksStatus::MiseADispositionMoe | WorksStatus::MiseADispositionMoa => {
                return Err(WorksError::WrongActor)
            }
            other => return Err(WorksError::WrongStatus(other)),
        };
        set_status(piece, next, today);
        Ok(())
    }

    /// The date by which the MOE should have processed a projet waiting for it.
    pub fn moe_deadline(&self, piece_id: usize) -> Option<Date> {
        let piece = self.pieces.get(piece_id)?;
        (piece.status == WorksStatus::MiseADispositionMoe)
            .then(|| piece.status_since.add_days(MOE_DAYS))
    }

    /// The last day the titulaire may object to a corrected amount, for a piece whose amount
    /// was corrected.
    pub fn objection_deadline(&self, piece_id: usize) -> Option<Date> {
        let piece = self.pieces.get(piece_id)?;
        piece
            .amount_corrected
            .then(|| piece.deposited_on.add_days(OBJECTION_DAYS))
    }

    fn push(
        &mut self,
        cadre: Cadre,
        deposit: WorksDeposit,
        status: WorksStatus,
        associated_to: Option<usize>,
        amount_corrected: bool,
    ) -> usize {
        self.pieces.push(WorksPiece {
            cadre,
            number: deposit.number,
            depositor_siret: deposit.depositor_siret,
            amount_ht: deposit.amount_ht,
            vat_rate: deposit.vat_rate,
            deposited_on: deposit.today,
            status,
            status_since: deposit.today,
            associated_to,
            amount_corrected,
            reserves: None,
            refusal_reason: None,
        });
        self.pieces.len() - 1
    }

    /// The common part of every association: the received piece `received_id`, waiting in
    /// status `waiting` and accepted by `accepts` (its cadre, and whatever else the step
    /// requires), is taken into account (`taken`, on the deposit's day). Returns whether the
    /// new piece corrects its amount.
    fn take_into_account(
        &mut self,
        received_id: usize,
        waiting: WorksStatus,
        taken: WorksStatus,
        deposit: &WorksDeposit,
        accepts: impl FnOnce(&WorksPiece) -> Result<(), WorksError>,
    ) -> Result<bool, WorksError> {
        let received = self.piece_in(received_id, waiting)?;
        accepts(received)?;
        let corrected = received.amount_ht != deposit.amount_ht;
        set_status(received, taken, deposit.today);
        Ok(corrected)
    }

    fn piece_in(
        &mut self,
        piece_id: usize,
        expected: WorksStatus,
    ) -> Result<&mut WorksPiece, WorksError> {
        let piece = self
            .pieces
            .get_mut(piece_id)
            .ok_or(WorksError::NoSuchPiece(piece_id))?;
        if piece.status != expected {
            return Err(WorksError::WrongStatus(piece.status));
        }
        Ok(piece)
    }
}

impl WorksPiece {
    /// VAT on the piece: amount HT × rate, rounded half-up to the cent.
    pub fn amount_vat(&self) -> Amount {
        self.amount_ht
            .percent(self.vat_rate.percent())
            .round_to_cent()
    }

    /// Amount TTC = HT + TVA.
    pub fn amount_ttc(&self) -> Amount {
        self.amount_ht + self.amount_vat()
    }
}

impl WorksStatus {
    /// French label (API names restated; on-screen wording *unconfirmed*).
    pub fn label(self) -> &'static str {
        match self {
            WorksStatus::AValiderTitulaire => "À valider par le titulaire",
            WorksStatus::MiseADispositionMoe => "Mise à disposition MOE",
            WorksStatus::PriseEnCompteMoe => "Prise en compte MOE",
            WorksStatus::RefuseeMoe => "Refusée MOE",
            WorksStatus::MiseADispositionMoa => "Mise à disposition MOA",
            WorksStatus::PriseEnCompteMoa => "Prise en compte MOA",
            WorksStatus::RefuseeMoa => "Refusée MOA",
            WorksStatus::TransmiseServiceFinancier => "Transmise au service financier",
            WorksStatus::MiseADispositionTitulaire => "Mise à disposition du titulaire",
            WorksStatus::SigneTitulaire => "Signé par le titulaire",
            WorksStatus::RefuseTitulaire => "Refusé par le titulaire",
            WorksStatus::RemplaceeParA22 => {
                "Remplacée par le projet de décompte général tacite (A22)"
            }
            WorksStatus::DgdTacite => "Décompte général et définitif tacite",
        }
    }
}

impl WorksError {
    /// The message shown to the learner, in French.
    pub fn message_fr(&self) -> String {
        match self {
            WorksError::WrongCadre(cadre) => format!("Le cadre {} ne convient pas à cette étape.", cadre.code()),
            WorksError::WrongActor => "Cette étape revient à un autre acteur du marché.".to_owned(),
            WorksError::NoSuchPiece(_) => "Pièce introuvable dans le dossier de facturation.".to_owned(),
            WorksError::WrongStatus(status) => {
                format!("Cette action n'est pas possible pour une pièce au statut « {} ».", status.label())
            }
            WorksError::NoMoe => {
                "Ce marché n'a pas de maîtrise d'œuvre : déposez un état d'acompte (A5) à destination de la MOA."
                    .to_owned()
            }
            WorksError::HasMoe => {
                "Ce marché a une maîtrise d'œuvre : déposez un projet de décompte mensuel (A4).".to_owned()
            }
            WorksError::AmountErrorIsNotARefusalReason => {
                "Un désaccord sur le montant n'est pas un motif de refus : indiquez le montant que vous acceptez dans \
votre propre pièce."
                    .to_owned()
            }
            WorksError::ReasonRequired => "Un motif de refus est obligatoire.".to_owned(),
            WorksError::TooEarly { days_left } => {
                format!("Le titulaire dispose encore de {days_left} jour(s) pour valider.")
            }
            WorksError::DeadlinePassed { deadline } => {
                format!("Le délai pour répondre à cette pièce a expiré le {deadline}.")
            }
            WorksError::MoaStillHasTime { days_left } => format!(
                "La maîtrise d'ouvrage dispose encore de {days_left} jour(s) pour notifier le décompte général : \
le décompte ne devient tacite qu'après 10 jours sans réponse."
            ),
            WorksError::AlreadyDone => "Cette étape a déjà été faite pour ce décompte.".to_owned(),
        }
    }
}

impl fmt::Display for WorksError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message_fr())
    }
}

/// `Err(days_left)` while `days` have not passed since the piece took its status.
fn waited(piece: &WorksPiece, days: i64, today: Date) -> Result<(), i64> {
    let elapsed = piece.status_since.days_until(today);
    if elapsed < days {
        Err(days - elapsed)
    } else {
        Ok(())
    }
}

/// `WrongCadre` unless the piece is of one of the `expected` cadres.
fn cadre_in(piece: &WorksPiece, expected: &[Cadre]) -> Result<(), WorksError> {
    if expected.contains(&piece.cadre) {
        Ok(())
    } else {
        Err(WorksError::WrongCadre(piece.cadre))
    }
}

fn set_status(piece: &mut WorksPiece, status: WorksStatus, today: Date) {
    piece.status = status;
    piece.status_since = today;
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const TITULAIRE: &str = "81452763600017";
    const SOUS_TRAITANT: &str = "83716249400012";
    pub(super) const MOE: &str = "79028461600030";
    pub(super) const MOA: &str = "21990001600011";

    fn day(n: u8) -> Date {
        Date::from_ymd(2025, 3, n).unwrap()
    }

    /// An empty dossier of the contract, with or without a MOE.
    pub(super) fn dossier(with_moe: bool) -> BillingDossier {
        BillingDossier {
            titulaire_siret: TITULAIRE.to_owned(),
            moe_siret: with_moe.then(|| MOE.to_owned()),
            moa_siret: MOA.to_owned(),
            payer_siret: MOA.to_owned(),
            pieces: Vec::new(),
        }
    }

    fn deposit(depositor: &str, cents: i64, today: Date) -> WorksDeposit {
        WorksDeposit {
            number: "PD-2025-03".to_owned(),
            depositor_siret: depositor.to_owned(),
            amount_ht: Amount::from_cents(cents),
            vat_rate: VatRate::Intermediate,
            today,
        }
    }

    #[test]
    fn monthly_payment_goes_from_titulaire_to_moe_to_moa_to_payer() {
        let mut dossier = dossier(true);
        let projet = dossier
            .deposit_initial(Cadre::A4, deposit(TITULAIRE, 755_720, day(3)))
            .unwrap();
        assert_eq!(
            dossier.pieces[projet].status,
            WorksStatus::MiseADispositionMoe
        );
        assert_eq!(dossier.moe_deadline(projet), Some(day(10)));

        let etat = dossier
            .associate_etat_acompte(projet, deposit(MOE, 755_720, day(5)))
            .unwrap();
        assert_eq!(dossier.pieces[projet].status, WorksStatus::PriseEnCompteMoe);
        assert_eq!(dossier.pieces[etat].cadre, Cadre::A15);
        assert_eq!(dossier.pieces[etat].associated_to, Some(projet));
        assert_eq!(
            dossier.pieces[etat].status,
            WorksStatus::MiseADispositionMoa
        );
        assert!(!dossier.pieces[etat].amount_corrected);

        let valide = dossier
            .associate_etat_acompte_valide(etat, deposit(MOA, 755_720, day(7)))
            .unwrap();
        assert_eq!(dossier.pieces[etat].status, WorksStatus::PriseEnCompteMoa);
        assert_eq!(dossier.pieces[valide].cadre, Cadre::A19);
        assert_eq!(
            dossier.pieces[valide].status,
            WorksStatus::TransmiseServiceFinancier
        );
        assert_eq!(
            dossier.pieces[valide].amount_ttc(),
            Amount::from_cents(831_292)
        );
    }

    #[test]
    fn moe_corrects_an_amount_instead_of_refusing() {
        let mut dossier = dossier(true);
        let projet = dossier
            .deposit_initial(Cadre::A4, deposit(TITULAIRE, 1_000_000, day(3)))
            .unwrap();
        let refused = dossier.refuse(projet, MOE, &WorksRefusalReason::ErreurDeMontant, day(4));
        assert_eq!(refused, Err(WorksError::AmountErrorIsNotARefusalReason));
        assert_eq!(
            dossier.pieces[projet].status,
            WorksStatus::MiseADispositionMoe
        );
        let etat = dossier
            .associate_etat_acompte(projet, deposit(MOE, 900_000, day(4)))
            .unwrap();
        assert!(dossier.pieces[etat].amount_corrected);
        assert_eq!(
            dossier.objection_deadline(etat),
            Some(Date::from_ymd(2025, 4, 3).unwrap())
        );
    }

    #[test]
    fn only_the_moe_associates_an_etat_acompte_and_only_once() {
        let mut dossier = dossier(true);
        let projet = dossier
            .deposit_initial(Cadre::A4, deposit(TITULAIRE, 10_000, day(3)))
            .unwrap();
        assert_eq!(
            dossier.associate_etat_acompte(projet, deposit(MOA, 10_000, day(4))),
            Err(WorksError::WrongActor)
        );
        dossier
            .associate_etat_acompte(projet, deposit(MOE, 10_000, day(4)))
            .unwrap();
        assert_eq!(
            dossier.associate_etat_acompte(projet, deposit(MOE, 10_000, day(4))),
            Err(WorksError::WrongStatus(WorksStatus::PriseEnCompteMoe))
        );
        assert_eq!(
            dossier.associate_etat_acompte(9, deposit(MOE, 10_000, day(4))),
            Err(WorksError::NoSuchPiece(9))
        );
    }

    #[test]
    fn a_refusal_needs_a_reason_and_the_right_actor() {
        let mut dossier = dossier(true);
        let projet = dossier
            .deposit_initial(Cadre::A4, deposit(TITULAIRE, 10_000, day(3)))
            .unwrap();
        let blank = WorksRefusalReason::Autre(" ".to_owned());
        assert_eq!(
            dossier.refuse(projet, MOE, &blank, day(4)),
            Err(WorksError::ReasonRequired)
        );
        let reason = WorksRefusalReason::Autre("Pièces manquantes".to_owned());
        assert_eq!(
            dossier.refuse(projet, MOA, &reason, day(4)),
            Err(WorksError::WrongActor)
        );
        dossier.refuse(projet, MOE, &reason, day(4)).unwrap();
        assert_eq!(dossier.pieces[projet].status, WorksStatus::RefuseeMoe);
        assert_eq!(
            dossier.associate_etat_acompte(projet, deposit(MOE, 10_000, day(5))),
            Err(WorksError::WrongStatus(WorksStatus::RefuseeMoe))
        );
    }

    #[test]
    fn the_moa_may_refuse_an_etat_acompte() {
        let mut dossier = dossier(true);
        let projet = dossier
            .deposit_initial(Cadre::A4, deposit(TITULAIRE, 10_000, day(3)))
            .unwrap();
        let etat = dossier
            .associate_etat_acompte(projet, deposit(MOE, 10_000, day(4)))
            .unwrap();
        let reason = WorksRefusalReason::Autre("Erreur de destinataire".to_owned());
        dossier.refuse(etat, MOA, &reason, day(5)).unwrap();
        assert_eq!(dossier.pieces[etat].status, WorksStatus::RefuseeMoa);
    }

    #[test]
    fn only_the_titulaire_refuses_a_subcontractor_piece_and_with_a_reason() {
        let mut dossier = dossier(true);
        let piece = dossier
            .deposit_initial(Cadre::A10, deposit(SOUS_TRAITANT, 10_000, day(1)))
            .unwrap();
        let reason = WorksRefusalReason::Autre("Travaux non réalisés".into());
        assert_eq!(
            dossier.refuse(piece, MOE, &reason, day(2)),
            Err(WorksError::WrongActor)
        );
        assert_eq!(
            dossier.refuse(
                piece,
                TITULAIRE,
                &WorksRefusalReason::Autre(" ".into()),
                day(2)
            ),
            Err(WorksError::ReasonRequired)
        );
        dossier.refuse(piece, TITULAIRE, &reason, day(2)).unwrap();
        assert_eq!(dossier.pieces[piece].status, WorksStatus::RefuseTitulaire);
    }

    #[test]
    fn subcontractor_piece_waits_for_the_titulaire_then_is_tacitly_validated() {
        let mut dossier = dossier(true);
        let piece = dossier
            .deposit_initial(Cadre::A10, deposit(SOUS_TRAITANT, 10_000, day(1)))
            .unwrap();
        assert_eq!(dossier.pieces[piece].status, WorksStatus::AValiderTitulaire);
        assert_eq!(
            dossier.apply_tacit_validation(piece, day(15)),
            Err(WorksError::TooEarly { days_left: 1 })
        );
        assert_eq!(
            dossier.validate_subcontractor_piece(piece, MOE, day(2)),
            Err(WorksError::WrongActor)
        );
        dossier.apply_tacit_validation(piece, day(16)).unwrap();
        assert_eq!(
            dossier.pieces[piece].status,
            WorksStatus::MiseADispositionMoe
        );

        let other = dossier
            .deposit_initial(Cadre::A10, deposit(SOUS_TRAITANT, 10_000, day(1)))
            .unwrap();
        dossier
            .validate_subcontractor_piece(other, TITULAIRE, day(2))
            .unwrap();
        assert_eq!(
            dossier.pieces[other].status,
            WorksStatus::MiseADispositionMoe
        );
    }

    #[test]
    fn without_moe_the_titulaire_deposits_a5_to_the_moa() {
        let mut dossier = dossier(false);
        assert_eq!(
            dossier.deposit_initial(Cadre::A4, deposit(TITULAIRE, 10_000, day(1))),
            Err(WorksError::NoMoe)
        );
        let etat = dossier
            .deposit_initial(Cadre::A5, deposit(TITULAIRE, 10_000, day(1)))
            .unwrap();
        assert_eq!(
            dossier.pieces[etat].status,
            WorksStatus::MiseADispositionMoa
        );
        let valide = dossier
            .associate_etat_acompte_valide(etat, deposit(MOA, 10_000, day(2)))
            .unwrap();
        assert_eq!(
            dossier.pieces[valide].status,
            WorksStatus::TransmiseServiceFinancier
        );

        let mut with_moe = super::tests::dossier(true);
        assert_eq!(
            with_moe.deposit_initial(Cadre::A5, deposit(TITULAIRE, 10_000, day(1))),
            Err(WorksError::HasMoe)
        );
        assert_eq!(
            with_moe.deposit_initial(Cadre::A1, deposit(TITULAIRE, 10_000, day(1))),
            Err(WorksError::WrongCadre(Cadre::A1))
        );
        assert_eq!(
            with_moe.deposit_initial(Cadre::A4, deposit(MOE, 10_000, day(1))),
            Err(WorksError::WrongActor)
        );
    }
}
