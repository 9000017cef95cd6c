//! [`InvoiceForm`]: every field of the saisie form (reference section 2.2), as the learner
//! fills it in.
//!
//! Optional text fields are plain `String`s where empty means « not filled in », as in an HTML
//! form. Exact on-screen labels are *unconfirmed*; the block names (Cadre de facturation,
//! Destinataire, Fournisseur, Références, Lignes, Récapitulatif TVA, Montants, Pièces jointes)
//! are the usual ones.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::amount::{Amount, VatRate};
use super::cadre::Cadre;
use super::date::Date;

/// The invoice being entered (« Saisir une facture »).
///
/// Field names in comments are the API `soumettreFacture` names the portal form maps to.
/// Deserialising refuses unknown keys, so a typo in a scenario file is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InvoiceForm {
    /// Cadre de facturation (`codeCadreFacturation`); mandatory, `None` until chosen.
    pub cadre: Option<Cadre>,
    /// Valideur structure SIRET (`codeStructureValideur`): the titulaire for A9, the
    /// mandataire for A12. Mandatory for those cadres.
    pub valideur_siret: String,
    /// Valideur service (`codeServiceValideur`); optional (conditions *unconfirmed*).
    pub valideur_service: String,
    /// Fournisseur: the SIRET of the user's own structure (`idFournisseur`).
    pub supplier_siret: String,
    /// Service fournisseur (`idServiceFournisseur`); optional.
    pub supplier_service: String,
    /// Destinataire: SIRET of the public structure (`codeDestinataire`); mandatory.
    pub recipient_siret: String,
    /// Code service of the recipient (`codeServiceExecutant`); mandatory when the recipient
    /// says so.
    pub service_code: String,
    /// N° d'engagement / bon de commande (`numeroBonCommande`); at most 50 characters.
    pub engagement: String,
    /// Numéro de marché (`numeroMarche`); optional.
    pub market_number: String,
    /// Type de facture (`typeFacture`).
    pub kind: InvoiceKind,
    /// Numéro de facture (`numeroFactureSaisi`); unique per supplier.
    pub number: String,
    /// Numéro de facture d'origine (`numeroFactureOrigine`); only read for an avoir.
    pub original_number: String,
    /// Date de facture (`dateFacture`); on or before the deposit date.
    pub invoice_date: Option<Date>,
    /// Devise (`deviseFacture`), ISO 4217; « EUR » in every scenario. Empty means EUR.
    pub currency: String,
    /// Régime de TVA (`typeTva`).
    pub vat_regime: Option<VatRegime>,
    /// Motif d'exonération (`motifExonerationTva`), e.g. « TVA non applicable, art. 293 B du
    /// CGI ».
    pub exemption_reason: String,
    /// Mode de paiement (`modePaiement`).
    pub payment_mode: Option<PaymentMode>,
    /// Coordonnées bancaires: the id of one of the bank accounts declared on the supplier
    /// structure (`codeCoordonneesBancairesFournisseur`); empty when none is chosen.
    pub bank_account: String,
    /// Lignes de poste (`lignePoste`).
    pub lines: Vec<InvoiceLine>,
    /// Montant déjà payé (acomptes already received); zero by default.
    pub already_paid: Amount,
    /// Pièce jointe principale and pièces jointes complémentaires, in order.
    pub attachments: Vec<Attachment>,
    /// Commentaire (`commentaire`); at most 200 characters. Carries the subrogation mention in
    /// factoring.
    pub comment: String,
}

/// Type de facture.
///
/// An ACOMPTE type appears in one API client only (*unconfirmed* for the portal) and is not
/// modelled: advances go through « déjà payé » and, for works, the état d'acompte chain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InvoiceKind {
    /// FACTURE.
    #[default]
    Facture,
    /// AVOIR: a credit note correcting an earlier invoice. Amounts are entered as positive
    /// numbers (the EN 16931 convention; the portal's sign convention is *unconfirmed*).
    Avoir,
}

/// Régime (type) de TVA (`typeTva`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VatRegime {
    /// TVA_SUR_DEBIT: VAT due on invoicing (goods).
    TvaSurDebit,
    /// TVA_SUR_ENCAISSEMENT: VAT due on payment (services).
    TvaSurEncaissement,
    /// EXONERATION: exempt, with an exemption reason (franchise en base, autoliquidation…).
    Exoneration,
    /// SANS_TVA: no VAT summary at all.
    SansTva,
}

/// Mode de paiement (`modePaiement`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentMode {
    /// CHEQUE.
    Cheque,
    /// PRELEVEMENT.
    Prelevement,
    /// VIREMENT.
    Virement,
    /// ESPECE.
    Espece,
    /// AUTRE.
    Autre,
    /// REPORT.
    Report,
}

/// One ligne de poste.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InvoiceLine {
    /// Référence (optional article reference).
    pub reference: String,
    /// Dénomination.
    pub description: String,
    /// Quantité; may have up to 4 decimals (GOBL rounds quantities to 4 for Chorus).
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// Unité (optional, free text such as « h », « m² »).
    pub unit: String,
    /// Montant unitaire HT; may have more than 2 decimals (EN 16931 allows it), at most 4 here.
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    /// Montant de remise HT for the whole line (not per unit); at most 2 decimals.
    pub discount: Amount,
    /// Taux de TVA; `None` until chosen.
    pub vat_rate: Option<VatRate>,
}

/// A pièce jointe as the simulator sees a chosen file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Attachment {
    /// File name including its extension (at most 50 characters).
    pub name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Whether the file is a password-protected PDF (refused at deposit).
    pub password_protected: bool,
}

/// The maximum lengths and limits of the form (reference 2.2, 2.4).
pub mod limits {
    /// Engagement juridique: 50 characters (AIFE release note V1.3.6 via OCA).
    pub const ENGAGEMENT_MAX_CHARS: usize = 50;
    /// Commentaire: 200 characters.
    pub const COMMENT_MAX_CHARS: usize = 200;
    /// Attachment file name, extension included: 50 characters.
    pub const ATTACHMENT_NAME_MAX_CHARS: usize = 50;
    /// Désignation of the pièce jointe principale: 100 characters.
    pub const MAIN_ATTACHMENT_DESIGNATION_MAX_CHARS: usize = 100;
    /// One attachment: under 10 MB. Per-type limits are *unconfirmed*; this is the limit an
    /// open-source connector (OCA) enforces, which the reference tells the simulator to use.
    pub const ATTACHMENT_MAX_BYTES: u64 = 10 * 1_000_000;
    /// The invoice with all its attachments: 120 MB (same source, same caveat).
    pub const ATTACHMENTS_TOTAL_MAX_BYTES: u64 = 120 * 1_000_000;
    /// Decimals allowed on a quantity (GOBL rounds to 4 for Chorus Pro).
    pub const QUANTITY_MAX_DECIMALS: u32 = 4;
    /// Decimals allowed on a unit price (simulator choice, the same as quantities).
    pub const UNIT_PRICE_MAX_DECIMALS: u32 = 4;
    /// Accepted attachment extensions (upper case, without the dot).
    pub const ATTACHMENT_EXTENSIONS: [&str; 35] = [
        "BMP", "GIF", "FAX", "ODT", "PPT", "TIFF", "XLS", "BZ2", "GZ", "JPEG", "P7S", "RTF", "TXT",
        "XML", "CSV", "GZIP", "JPG", "PDF", "SVG", "XHTML", "XLSX", "DOC", "HTM", "ODP", "PNG",
        "TGZ", "XLC", "ZIP", "DOCX", "HTML", "ODS", "PPS", "TIF", "XLM", "PPTX",
    ];
}

impl Default for InvoiceLine {
    fn default() -> InvoiceLine {
        InvoiceLine {
            reference: String::new(),
            description: String::new(),
            quantity: Decimal::ONE,
            unit: String::new(),
            unit_price: Decimal::ZERO,
            discount: Amount::ZERO,
            vat_rate: None,
        }
    }
}

impl InvoiceLine {
    /// A line with a description, quantity, unit price and rate, no discount.
    pub fn new(
        description: &str,
        quantity: Decimal,
        unit_price: Decimal,
        vat_rate: VatRate,
    ) -> InvoiceLine {
        InvoiceLine {
            description: description.to_owned(),
            quantity,
            unit_price,
            vat_rate: Some(vat_rate),
            ..InvoiceLine::default()
        }
    }
}

impl InvoiceKind {
    /// « Facture » or « Avoir ».
    pub fn label(self) -> &'static str {
        match self {
            InvoiceKind::Facture => "Facture",
            InvoiceKind::Avoir => "Avoir",
        }
    }
}

impl VatRegime {
    /// The French label.
    pub fn label(self) -> &'static str {
        match self {
            VatRegime::TvaSurDebit => "TVA sur les débits",
            VatRegime::TvaSurEncaissement => "TVA sur les encaissements",
            VatRegime::Exoneration => "Exonération",
            VatRegime::SansTva => "Sans TVA",
        }
    }

    /// Whether an exemption reason must be given (EXONERATION). Mandatory-ness is
    /// *unconfirmed* in the sources but the reference calls it sensible; the simulator
    /// requires it.
    pub fn needs_exemption_reason(self) -> bool {
        self == VatRegime::Exoneration
    }

    /// Whether lines must all be at 0 % (EXONERATION and SANS_TVA).
    pub fn is_without_vat(self) -> bool {
        matches!(self, VatRegime::Exoneration | VatRegime::SansTva)
    }
}

impl PaymentMode {
    /// The French label.
    pub fn label(self) -> &'static str {
        match self {
            PaymentMode::Cheque => "Chèque",
            PaymentMode::Prelevement => "Prélèvement",
            PaymentMode::Virement => "Virement",
            PaymentMode::Espece => "Espèces",
            PaymentMode::Autre => "Autre",
            PaymentMode::Report => "Report",
        }
    }
}

impl Attachment {
    /// The extension in upper case, without the dot; `None` when the name has none.
    pub fn extension(&self) -> Option<String> {
        let (stem, ext) = self.name.rsplit_once('.')?;
        (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_reads_from_minimal_json_with_defaults() {
        let form: InvoiceForm = serde_json::from_str(
            r#"{"cadre": "A1", "number": "FAC-2025-0001", "invoice_date": "2025-03-14",
"lines": [{"description": "Ramettes", "quantity": "10", "unit_price": "25.00", "vat_rate": "20"}]}"#,
        )
        .unwrap();
        assert_eq!(form.cadre, Some(Cadre::A1));
        assert_eq!(form.kind, InvoiceKind::Facture);
        assert_eq!(form.lines[0].quantity, Decimal::new(10, 0));
        assert_eq!(form.lines[0].discount, Amount::ZERO);
        assert_eq!(form.already_paid, Amount::ZERO);
    }

    #[test]
    fn unknown_form_keys_are_refused() {
        let res = serde_json::from_str::<InvoiceForm>(r#"{"numero": "FAC-1"}"#);
        assert!(res
            .unwrap_err()
            .to_string()
            .contains("unknown field `numero`"));
    }

    #[test]
    fn attachment_extension_needs_a_stem_and_a_suffix() {
        let ext = |name: &str| {
            Attachment {
                name: name.to_owned(),
                ..Attachment::default()
            }
            .extension()
        };
        assert_eq!(ext("facture.pdf"), Some("PDF".to_owned()));
        assert_eq!(ext("archive.tar.gz"), Some("GZ".to_owned()));
        assert_eq!(ext("facture"), None);
        assert_eq!(ext(".pdf"), None);
        assert_eq!(ext("facture."), None);
    }
}
