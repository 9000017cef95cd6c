//! Cadres de facturation (A1…A25), the actor roles that may use them, and the espace where
//! each is deposited (reference section 1).

use serde::{Deserialize, Serialize};

/// A cadre de facturation: what kind of document is deposited and who deposits it.
///
/// Codes and labels from the GOBL addon `fr-choruspro-v1` and the go-choruspro enumeration
/// (reference 1.1). Serialised as the short code, `"A1"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Cadre {
    /// A1: « Dépôt par un fournisseur d'une facture ».
    A1,
    /// A2: « Dépôt par un fournisseur d'une facture déjà payée ».
    A2,
    /// A3: « Dépôt d'un mémoire de frais de justice ».
    A3,
    /// A4: « Projet de décompte mensuel (fournisseur) ».
    A4,
    /// A5: « État d'acompte (fournisseur) ».
    A5,
    /// A6: « État d'acompte validé (fournisseur) ».
    A6,
    /// A7: « Projet de décompte final (fournisseur) ».
    A7,
    /// A8: « Décompte général et définitif (signé par le fournisseur) ».
    A8,
    /// A9: « Dépôt par un sous-traitant d'une facture ».
    A9,
    /// A10: « Projet de décompte mensuel / demande de paiement (sous-traitant) ».
    A10,
    /// A11: « Projet de décompte final (sous-traitant) ». *Unconfirmed / probably obsolete*: only in the go-choruspro enumeration.
    A11,
    /// A12: « Dépôt par un cotraitant d'une facture ».
    A12,
    /// A13: « Projet de décompte mensuel (cotraitant) ».
    A13,
    /// A14: « Projet de décompte final (cotraitant) ».
    A14,
    /// A15: « État d'acompte (MOE) ».
    A15,
    /// A16: « État d'acompte validé (MOE) ».
    A16,
    /// A17: « Projet de décompte général (MOE) ».
    A17,
    /// A18: « Décompte général (MOE) ». Recipient *unconfirmed*.
    A18,
    /// A19: « État d'acompte validé (MOA) ».
    A19,
    /// A20: « Décompte général (MOA) ».
    A20,
    /// A21: « Demande de remboursement de la TIC ».
    A21,
    /// A22: « Projet de décompte général, procédure tacite ».
    A22,
    /// A23: « Décompte général et définitif tacite ». Recipient *unconfirmed* (service financier).
    A23,
    /// A24: « Décompte général et définitif tacite (MOE) ». Recipient *unconfirmed*.
    A24,
    /// A25: « DGD dans le cadre d'une procédure tacite ». Depositor (MOA or MOE) and recipient *unconfirmed*.
    A25,
}

/// The role of the logged-in structure, which decides the cadres offered (reference 1.2).
///
/// The portal does not know roles in advance: they follow from the *fiche d'identité du
/// marché*; the simulator attaches them to scenario data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    /// Fournisseur / titulaire of a simple contract.
    Fournisseur,
    /// Sous-traitant paid directly.
    SousTraitant,
    /// Cotraitant of a groupement.
    Cotraitant,
    /// Titulaire of a works contract.
    TitulaireTravaux,
    /// Maîtrise d'œuvre.
    Moe,
    /// Maîtrise d'ouvrage.
    Moa,
}

/// The espace in which a cadre's pieces are deposited and followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Espace {
    /// « Factures émises ».
    FacturesEmises,
    /// « Factures de travaux ».
    FacturesTravaux,
    /// « Mémoires de justice » (outside the course).
    MemoiresJustice,
    /// « Demandes de remboursement TIC » (outside the course).
    RemboursementTic,
}

impl Cadre {
    /// Every cadre, A1 to A25.
    pub const ALL: [Cadre; 25] = [
        Cadre::A1,
        Cadre::A2,
        Cadre::A3,
        Cadre::A4,
        Cadre::A5,
        Cadre::A6,
        Cadre::A7,
        Cadre::A8,
        Cadre::A9,
        Cadre::A10,
        Cadre::A11,
        Cadre::A12,
        Cadre::A13,
        Cadre::A14,
        Cadre::A15,
        Cadre::A16,
        Cadre::A17,
        Cadre::A18,
        Cadre::A19,
        Cadre::A20,
        Cadre::A21,
        Cadre::A22,
        Cadre::A23,
        Cadre::A24,
        Cadre::A25,
    ];

    /// The short code, « A9 ».
    pub fn code(self) -> &'static str {
        self.api_value()
            .split('_')
            .next()
            .expect("API values start with the code")
    }

    /// The API enumeration value (`codeCadreFacturation`), e.g. `A9_FACTURE_SOUSTRAITANT`.
    pub fn api_value(self) -> &'static str {
        match self {
            Cadre::A1 => "A1_FACTURE_FOURNISSEUR",
            Cadre::A2 => "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
            Cadre::A3 => "A3_MEMOIRE_JUSTICE",
            Cadre::A4 => "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
            Cadre::A5 => "A5_ETAT_ACOMPTE_FOURNISSEUR",
            Cadre::A6 => "A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR",
            Cadre::A7 => "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR",
            Cadre::A8 => "A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR",
            Cadre::A9 => "A9_FACTURE_SOUSTRAITANT",
            Cadre::A10 => "A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT",
            Cadre::A11 => "A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT",
            Cadre::A12 => "A12_FACTURE_COTRAITANT",
            Cadre::A13 => "A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT",
            Cadre::A14 => "A14_PROJET_DECOMPTE_FINAL_COTRAITANT",
            Cadre::A15 => "A15_ETAT_ACOMPTE_MOE",
            Cadre::A16 => "A16_ETAT_ACOMPTE_VALIDE_MOE",
            Cadre::A17 => "A17_PROJET_DECOMPTE_GENERAL_MOE",
            Cadre::A18 => "A18_DECOMPTE_GENERAL_MOE",
            Cadre::A19 => "A19_ETAT_ACOMPTE_VALIDE_MOA",
            Cadre::A20 => "A20_DECOMPTE_GENERAL_MOA",
            Cadre::A21 => "A21_DEMANDE_REMBOURSEMENT_TIC",
            Cadre::A22 => "A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE",
            Cadre::A23 => "A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR",
            Cadre::A24 => "A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE",
            Cadre::A25 => "A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE",
        }
    }

    /// The French label (portal wording restated, reference 1.1).
    pub fn label(self) -> &'static str {
        match self {
            Cadre::A1 => "Dépôt par un fournisseur d'une facture",
            Cadre::A2 => "Dépôt par un fournisseur d'une facture déjà payée",
            Cadre::A3 => "Dépôt d'un mémoire de frais de justice",
            Cadre::A4 => "Projet de décompte mensuel (fournisseur)",
            Cadre::A5 => "État d'acompte (fournisseur)",
            // Label conflict between GOBL and the API value; the reference settles on this one.
            Cadre::A6 => "État d'acompte validé (fournisseur)",
            Cadre::A7 => "Projet de décompte final (fournisseur)",
            Cadre::A8 => "Décompte général et définitif (signé par le fournisseur)",
            Cadre::A9 => "Dépôt par un sous-traitant d'une facture",
            Cadre::A10 => "Projet de décompte mensuel / demande de paiement (sous-traitant)",
            Cadre::A11 => "Projet de décompte final (sous-traitant)",
            Cadre::A12 => "Dépôt par un cotraitant d'une facture",
            Cadre::A13 => "Projet de décompte mensuel (cotraitant)",
            Cadre::A14 => "Projet de décompte final (cotraitant)",
            Cadre::A15 => "État d'acompte (MOE)",
            Cadre::A16 => "État d'acompte validé (MOE)",
            Cadre::A17 => "Projet de décompte général (MOE)",
            Cadre::A18 => "Décompte général (MOE)",
            Cadre::A19 => "État d'acompte validé (MOA)",
            Cadre::A20 => "Décompte général (MOA)",
            Cadre::A21 => "Demande de remboursement de la TIC",
            Cadre::A22 => "Projet de décompte général, procédure tacite",
            Cadre::A23 => "Décompte général et définitif tacite",
            Cadre::A24 => "Décompte général et définitif tacite (MOE)",
            Cadre::A25 => "DGD dans le cadre d'une procédure tacite",
        }
    }

    /// Reads « A9 » (or the API value `A9_FACTURE_SOUSTRAITANT`).
    pub fn parse(text: &str) -> Option<Cadre> {
        let text = text.trim();
        Cadre::ALL
            .into_iter()
            .find(|cadre| cadre.code().eq_ignore_ascii_case(text) || cadre.api_value() == text)
    }

    /// Whether the cadre is a works piece (« Factures de travaux »).
    pub fn is_works(self) -> bool {
        self.espace() == Espace::FacturesTravaux
    }

    /// Where the cadre is deposited and followed.
    pub fn espace(self) -> Espace {
        match self {
            Cadre::A1 | Cadre::A2 | Cadre::A9 | Cadre::A12 => Espace::FacturesEmises,
            Cadre::A3 => Espace::MemoiresJustice,
            Cadre::A21 => Espace::RemboursementTic,
            _ => Espace::FacturesTravaux,
        }
    }

    /// Whether a valideur (titulaire for A9, mandataire for A12) must be given: the API
    /// refuses these cadres without one (reference 1.1 notes, 2.2).
    pub fn needs_valideur(self) -> bool {
        matches!(self, Cadre::A9 | Cadre::A12)
    }

    /// Whether the reference marks something about this cadre as *unconfirmed*: A11 (probably
    /// obsolete), the recipients of A18, A23, A24, A25 and the depositor of A25.
    pub fn is_unconfirmed(self) -> bool {
        matches!(
            self,
            Cadre::A11 | Cadre::A18 | Cadre::A23 | Cadre::A24 | Cadre::A25
        )
    }
}

impl ActorRole {
    /// The cadres offered to a structure in this role (reference 1.2).
    ///
    /// A11 is never offered (*unconfirmed / probably obsolete*). The MOE is offered A1 for its
    /// own fees, which are ordinary invoices.
    pub fn cadres_offered(self) -> &'static [Cadre] {
        match self {
            ActorRole::Fournisseur => &[Cadre::A1, Cadre::A2],
            ActorRole::SousTraitant => &[Cadre::A9, Cadre::A10],
            ActorRole::Cotraitant => &[Cadre::A12, Cadre::A13, Cadre::A14],
            ActorRole::TitulaireTravaux => &[
                Cadre::A4,
                Cadre::A5,
                Cadre::A6,
                Cadre::A7,
                Cadre::A8,
                Cadre::A22,
                Cadre::A23,
            ],
            ActorRole::Moe => &[
                Cadre::A1,
                Cadre::A15,
                Cadre::A16,
                Cadre::A17,
                Cadre::A18,
                Cadre::A24,
            ],
            ActorRole::Moa => &[Cadre::A19, Cadre::A20, Cadre::A25],
        }
    }

    /// The cadres this role may choose in the « Factures émises » saisie form.
    pub fn invoice_cadres_offered(self) -> Vec<Cadre> {
        self.cadres_offered()
            .iter()
            .copied()
            .filter(|cadre| cadre.espace() == Espace::FacturesEmises)
            .collect()
    }

    /// The French name of the role.
    pub fn label(self) -> &'static str {
        match self {
            ActorRole::Fournisseur => "fournisseur",
            ActorRole::SousTraitant => "sous-traitant",
            ActorRole::Cotraitant => "cotraitant",
            ActorRole::TitulaireTravaux => "titulaire du marché de travaux",
            ActorRole::Moe => "maîtrise d'œuvre (MOE)",
            ActorRole::Moa => "maîtrise d'ouvrage (MOA)",
        }
    }
}

impl Espace {
    /// The espace's name as the portal shows it.
    pub fn label(self) -> &'static str {
        match self {
            Espace::FacturesEmises => "Factures émises",
            Espace::FacturesTravaux => "Factures de travaux",
            Espace::MemoiresJustice => "Mémoires de justice",
            Espace::RemboursementTic => "Demandes de remboursement TIC",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_api_values_agree() {
        for cadre in Cadre::ALL {
            assert!(cadre.api_value().starts_with(&format!("{}_", cadre.code())));
            assert_eq!(Cadre::parse(cadre.code()), Some(cadre));
            assert_eq!(Cadre::parse(cadre.api_value()), Some(cadre));
            let json = serde_json::to_string(&cadre).unwrap();
            assert_eq!(json, format!("\"{}\"", cadre.code()));
        }
        assert_eq!(Cadre::parse("A26"), None);
    }

    #[test]
    fn simple_invoice_cadres_go_to_factures_emises_and_works_cadres_to_travaux() {
        let simple: Vec<Cadre> = Cadre::ALL
            .into_iter()
            .filter(|c| c.espace() == Espace::FacturesEmises)
            .collect();
        assert_eq!(simple, [Cadre::A1, Cadre::A2, Cadre::A9, Cadre::A12]);
        for works in [Cadre::A4, Cadre::A10, Cadre::A13, Cadre::A15, Cadre::A19] {
            assert!(works.is_works(), "{works:?}");
        }
        assert!(!Cadre::A3.is_works());
        assert!(!Cadre::A21.is_works());
    }

    #[test]
    fn only_a9_and_a12_need_a_valideur() {
        let needing: Vec<Cadre> = Cadre::ALL
            .into_iter()
            .filter(|c| c.needs_valideur())
            .collect();
        assert_eq!(needing, [Cadre::A9, Cadre::A12]);
    }

    #[test]
    fn roles_are_offered_their_cadres() {
        assert_eq!(
            ActorRole::Fournisseur.invoice_cadres_offered(),
            [Cadre::A1, Cadre::A2]
        );
        assert_eq!(
            ActorRole::SousTraitant.invoice_cadres_offered(),
            [Cadre::A9]
        );
        assert_eq!(ActorRole::Cotraitant.invoice_cadres_offered(), [Cadre::A12]);
        assert_eq!(ActorRole::Moe.invoice_cadres_offered(), [Cadre::A1]);
        assert!(ActorRole::Moa.invoice_cadres_offered().is_empty());
        assert!(ActorRole::Moe.cadres_offered().contains(&Cadre::A15));
        assert!(ActorRole::Moa.cadres_offered().contains(&Cadre::A19));
        assert!(ActorRole::TitulaireTravaux
            .cadres_offered()
            .contains(&Cadre::A4));
        let all_roles = [
            ActorRole::Fournisseur,
            ActorRole::SousTraitant,
            ActorRole::Cotraitant,
            ActorRole::TitulaireTravaux,
            ActorRole::Moe,
            ActorRole::Moa,
        ];
        assert!(all_roles
            .iter()
            .all(|role| !role.cadres_offered().contains(&Cadre::A11)));
    }
}
