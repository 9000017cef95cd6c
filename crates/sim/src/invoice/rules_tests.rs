//! Tests of the field rules: one valid form, then every rule broken one at a time.

use super::*;
use crate::invoice::cadre::Cadre;
use crate::invoice::form::{InvoiceLine, PaymentMode, VatRegime};
use rust_decimal::Decimal;

const PAPETERIE: &str = "84260937200011";
const DURAND: &str = "81452763600017";
const MOREAU: &str = "83716249400012";
const LEMOINE: &str = "82397514900027";
const COMMUNE: &str = "21990001600011";
const HOPITAL: &str = "26990002300012";
const COMMUNAUTE: &str = "20099003400015";
const DEPARTEMENT: &str = "22990004800013";
const LYCEE: &str = "19990005100012";
const UNIVERSITE: &str = "13990006200015";
const ETAT: &str = "11000201100044";

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn service(code: &str, active: bool) -> RecipientService {
    RecipientService {
        code: code.to_owned(),
        label: code.to_owned(),
        active,
    }
}

/// The recipients of reference 9.1 with the suggested settings.
fn recipients() -> Vec<Recipient> {
    let base = |siret: &str, name: &str| Recipient {
        siret: siret.to_owned(),
        name: name.to_owned(),
        active: true,
        reports_payment_status: true,
        ..Recipient::default()
    };
    vec![
        Recipient {
            service_required: true,
            services: vec![
                service("SERV-FIN", true),
                service("ECOLES", true),
                service("ATELIER MUNICIPAL", false),
            ],
            ..base(COMMUNE, "Commune de Saint-Exemple")
        },
        Recipient {
            engagement_required: true,
            services: vec![service("PHARMACIE", true)],
            ..base(HOPITAL, "Centre hospitalier de Val-Fictif")
        },
        Recipient {
            service_or_engagement: true,
            services: vec![service("DIR_TECH", true)],
            ..base(COMMUNAUTE, "Communauté de communes du Pays Fictif")
        },
        Recipient {
            service_required: true,
            engagement_required: true,
            reports_payment_status: false,
            services: vec![service("DIR_TECH", true)],
            ..base(DEPARTEMENT, "Département de Fictivie")
        },
        base(LYCEE, "Lycée Jean-Exemple"),
        Recipient {
            active: false,
            ..base(UNIVERSITE, "Université de Fictiville")
        },
        Recipient {
            checked_engagements: Some(vec!["1300012345".to_owned()]),
            ..base(ETAT, "Services de l'État pour la facturation électronique")
        },
    ]
}

fn ctx(role: ActorRole) -> ValidationContext {
    ValidationContext {
        role,
        supplier_sirets: vec![
            PAPETERIE.to_owned(),
            DURAND.to_owned(),
            MOREAU.to_owned(),
            LEMOINE.to_owned(),
        ],
        bank_accounts: vec!["iban-1".to_owned()],
        recipients: recipients(),
        today: date("14/03/2025"),
    }
}

fn valid_form() -> InvoiceForm {
    InvoiceForm {
        cadre: Some(Cadre::A1),
        supplier_siret: PAPETERIE.to_owned(),
        recipient_siret: LYCEE.to_owned(),
        number: "FAC-2025-0002".to_owned(),
        invoice_date: Some(date("10/03/2025")),
        currency: "EUR".to_owned(),
        vat_regime: Some(VatRegime::TvaSurDebit),
        payment_mode: Some(PaymentMode::Virement),
        bank_account: "iban-1".to_owned(),
        lines: vec![
            InvoiceLine::new(
                "Ramettes A4",
                Decimal::new(10, 0),
                Decimal::new(2500, 2),
                VatRate::Normal,
            ),
            InvoiceLine::new(
                "Classeurs",
                Decimal::new(3, 0),
                Decimal::new(299, 2),
                VatRate::Normal,
            ),
        ],
        attachments: vec![attachment("facture.pdf", 200_000)],
        ..InvoiceForm::default()
    }
}

fn attachment(name: &str, size_bytes: u64) -> Attachment {
    Attachment {
        name: name.to_owned(),
        size_bytes,
        password_protected: false,
    }
}

fn existing() -> Vec<ExistingInvoice> {
    let invoice = |supplier: &str, number: &str, status| ExistingInvoice {
        supplier_siret: supplier.to_owned(),
        number: number.to_owned(),
        status,
    };
    vec![
        invoice(PAPETERIE, "FAC-2025-0001", Status::MiseEnPaiement),
        invoice(PAPETERIE, "FAC-2025-0099", Status::Rejetee),
        invoice(PAPETERIE, "BROUILLON-1", Status::Supprimee),
        invoice(DURAND, "FAC-2025-0002", Status::MiseADisposition),
    ]
}

fn pairs(errors: &[FieldError]) -> Vec<(&str, &str)> {
    errors
        .iter()
        .map(|error| (error.field.as_str(), error.code))
        .collect()
}

/// Edits the valid form and compares the entry errors.
#[track_caller]
fn check_entry_as(role: ActorRole, edit: impl FnOnce(&mut InvoiceForm), expected: &[(&str, &str)]) {
    let mut form = valid_form();
    edit(&mut form);
    let errors = validate_entry(&form, &ctx(role), &existing());
    assert_eq!(pairs(&errors), expected, "{errors:#?}");
    assert!(errors
        .iter()
        .all(|error| !error.message.is_empty() && !error.rule.is_empty()));
}

#[track_caller]
fn check_entry(edit: impl FnOnce(&mut InvoiceForm), expected: &[(&str, &str)]) {
    check_entry_as(ActorRole::Fournisseur, edit, expected);
}

/// Edits the valid form and compares the sending errors (entry errors included).
#[track_caller]
fn check_send(edit: impl FnOnce(&mut InvoiceForm), expected: &[(&str, &str)]) {
    let mut form = valid_form();
    edit(&mut form);
    let errors = validate_send(&form, &ctx(ActorRole::Fournisseur), &existing());
    assert_eq!(pairs(&errors), expected, "{errors:#?}");
}

#[test]
fn the_valid_form_passes_entry_and_send() {
    check_entry(|_| {}, &[]);
    check_send(|_| {}, &[]);
}

// --- cadre and valideur ---------------------------------------------------------------------

#[test]
fn cadre_is_mandatory() {
    check_entry(|form| form.cadre = None, &[("cadre", "cadre-required")]);
}

#[test]
fn a2_is_offered_to_a_fournisseur_but_a9_and_a12_are_not() {
    check_entry(
        |form| {
            form.cadre = Some(Cadre::A2);
            form.already_paid = Amount::from_cents(31_076);
        },
        &[],
    );
    check_entry(
        |form| {
            form.cadre = Some(Cadre::A9);
            form.valideur_siret = DURAND.to_owned();
        },
        &[("cadre", "cadre-not-offered")],
    );
    check_entry(
        |form| {
            form.cadre = Some(Cadre::A12);
            form.valideur_siret = DURAND.to_owned();
        },
        &[("cadre", "cadre-not-offered")],
    );
}

#[test]
fn works_cadres_are_not_entered_in_factures_emises() {
    check_entry_as(
        ActorRole::TitulaireTravaux,
        |form| form.cadre = Some(Cadre::A4),
        &[("cadre", "cadre-not-invoice")],
    );
    check_entry_as(
        ActorRole::Moe,
        |form| form.cadre = Some(Cadre::A15),
        &[("cadre", "cadre-not-invoice")],
    );
    // The MOE's own fees are ordinary A1 invoices.
    check_entry_as(ActorRole::Moe, |_| {}, &[]);
}

#[test]
fn a9_needs_a_valideur_with_a_valid_siret_other_than_the_supplier() {
    let a9 = |form: &mut InvoiceForm| {
        form.cadre = Some(Cadre::A9);
        form.supplier_siret = MOREAU.to_owned();
    };
    check_entry_as(
        ActorRole::SousTraitant,
        a9,
        &[("valideur_siret", "valideur-required")],
    );
    check_entry_as(
        ActorRole::SousTraitant,
        |form| {
            a9(form);
            form.valideur_siret = DURAND.to_owned();
        },
        &[],
    );
    check_entry_as(
        ActorRole::SousTraitant,
        |form| {
            a9(form);
            form.valideur_siret = "81452763600018".to_owned();
        },
        &[("valideur_siret", "siret-checksum")],
    );
    check_entry_as(
        ActorRole::SousTraitant,
        |form| {
            a9(form);
            form.valideur_siret = MOREAU.to_owned();
        },
        &[("valideur_siret", "valideur-is-supplier")],
    );
}

#[test]
fn a12_needs_a_valideur() {
    let a12 = |form: &mut InvoiceForm| {
        form.cadre = Some(Cadre::A12);
        form.supplier_siret = LEMOINE.to_owned();
    };
    check_entry_as(
        ActorRole::Cotraitant,
        a12,
        &[("valideur_siret", "valideur-required")],
    );
    check_entry_as(
        ActorRole::Cotraitant,
        |form| {
            a12(form);
            form.valideur_siret = DURAND.to_owned();
        },
        &[],
    );
}

// --- parties --------------------------------------------------------------------------------

#[test]
fn supplier_must_be_one_of_the_users_structures() {
    check_entry(
        |form| form.supplier_siret.clear(),
        &[("supplier_siret", "supplier-required")],
    );
    check_entry(
        |form| form.supplier_siret = "88034517800011".to_owned(),
        &[("supplier_siret", "supplier-not-attached")],
    );
    check_entry(
        |form| form.supplier_siret = "842 609 372 00011".to_owned(),
        &[],
    );
}

#[test]
fn recipient_siret_is_checked_for_format_then_existence() {
    let recipient =
        |siret: &'static str| move |form: &mut InvoiceForm| form.recipient_siret = siret.to_owned();
    check_entry(recipient(""), &[("recipient_siret", "recipient-required")]);
    check_entry(
        recipient("81452763600018"),
        &[("recipient_siret", "siret-checksum")],
    );
    check_entry(
        recipient("81452736600017"),
        &[("recipient_siret", "siret-siren-checksum")],
    );
    check_entry(
        recipient("8145276360001"),
        &[("recipient_siret", "siret-length")],
    );
    check_entry(
        recipient("814527636000170"),
        &[("recipient_siret", "siret-length")],
    );
    check_entry(
        recipient("81452763600O17"),
        &[("recipient_siret", "siret-not-digits")],
    );
    check_entry(
        recipient("81452763700015"),
        &[("recipient_siret", "siret-siren-checksum")],
    );
    // Checksum-valid but not in the directory.
    check_entry(
        recipient("00000000000000"),
        &[("recipient_siret", "recipient-unknown")],
    );
    check_entry(
        recipient("81900001900011"),
        &[("recipient_siret", "recipient-unknown")],
    );
    // Known but inactive.
    check_entry(
        recipient(UNIVERSITE),
        &[("recipient_siret", "recipient-unknown")],
    );
}

#[test]
fn service_code_allows_letters_digits_dash_underscore_space_and_accents() {
    check_entry(
        |form| form.service_code = "SERV/01".to_owned(),
        &[("service_code", "code-service-character")],
    );
    check_entry(|form| form.service_code = "Équipe_2 - Nord".to_owned(), &[]);
}

// --- references -----------------------------------------------------------------------------

#[test]
fn engagement_is_at_most_fifty_characters() {
    check_entry(|form| form.engagement = "E".repeat(50), &[]);
    check_entry(
        |form| form.engagement = "E".repeat(51),
        &[("engagement", "engagement-too-long")],
    );
}

#[test]
fn invoice_number_is_mandatory() {
    check_entry(
        |form| form.number = "  ".to_owned(),
        &[("number", "number-required")],
    );
}

#[test]
fn invoice_date_is_mandatory_and_not_after_the_deposit_date() {
    check_entry(
        |form| form.invoice_date = None,
        &[("invoice_date", "invoice-date-required")],
    );
    check_entry(|form| form.invoice_date = Some(date("14/03/2025")), &[]);
    check_entry(
        |form| form.invoice_date = Some(date("15/03/2025")),
        &[("invoice_date", "invoice-date-future")],
    );
}

#[test]
fn an_avoir_names_a_different_original_invoice() {
    let avoir = |original: &'static str| {
        move |form: &mut InvoiceForm| {
            form.kind = InvoiceKind::Avoir;
            form.original_number = original.to_owned();
        }
    };
    check_entry(avoir("FAC-2025-0001"), &[]);
    check_entry(
        avoir(""),
        &[("original_number", "original-number-required")],
    );
    check_entry(
        avoir("fac-2025-0002"),
        &[("original_number", "original-number-same")],
    );
    // On a FACTURE the original number is ignored, as in the API.
    check_entry(
        |form| form.original_number = "FAC-2025-0001".to_owned(),
        &[],
    );
}

#[test]
fn currency_is_euro() {
    check_entry(|form| form.currency = "eur".to_owned(), &[]);
    check_entry(|form| form.currency.clear(), &[]);
    check_entry(
        |form| form.currency = "USD".to_owned(),
        &[("currency", "currency-not-eur")],
    );
}

#[test]
fn bank_account_must_be_declared_on_the_structure() {
    check_entry(|form| form.bank_account.clear(), &[]);
    check_entry(
        |form| form.bank_account = "iban-9".to_owned(),
        &[("bank_account", "bank-account-unknown")],
    );
}

#[test]
fn comment_is_at_most_two_hundred_characters() {
    check_entry(|form| form.comment = "é".repeat(200), &[]);
    check_entry(
        |form| form.comment = "é".repeat(201),
        &[("comment", "comment-too-long")],
    );
}

// --- VAT regime -----------------------------------------------------------------------------

#[test]
fn vat_regime_is_mandatory() {
    check_entry(
        |form| form.vat_regime = None,
        &[("vat_regime", "vat-regime-required")],
    );
}

#[test]
fn an_exemption_needs_a_reason_and_zero_rated_lines() {
    let exempt = |form: &mut InvoiceForm| {
        form.vat_regime = Some(VatRegime::Exoneration);
        form.lines = vec![InvoiceLine::new(
            "Prestation",
            Decimal::ONE,
            Decimal::new(800, 0),
            VatRate::Zero,
        )];
    };
    check_entry(exempt, &[("exemption_reason", "exemption-reason-required")]);
    check_entry(
        |form| {
            exempt(form);
            form.exemption_reason = "TVA non applicable, art. 293 B du CGI".to_owned();
        },
        &[],
    );
    check_entry(
        |form| {
            form.vat_regime = Some(VatRegime::Exoneration);
            form.exemption_reason = "Autoliquidation".to_owned();
        },
        &[
            ("lines[0].vat_rate", "vat-rate-not-zero"),
            ("lines[1].vat_rate", "vat-rate-not-zero"),
        ],
    );
    check_entry(
        |form| {
            form.vat_regime = Some(VatRegime::SansTva);
            form.lines[1].vat_rate = Some(VatRate::Zero);
        },
        &[("lines[0].vat_rate", "vat-rate-not-zero")],
    );
}

#[test]
fn a_taxed_invoice_may_mix_taxed_and_zero_rated_lines() {
    check_entry(|form| form.lines[1].vat_rate = Some(VatRate::Zero), &[]);
}

// --- lines ----------------------------------------------------------------------------------

#[test]
fn each_line_field_is_checked() {
    let line = |edit: fn(&mut InvoiceLine)| move |form: &mut InvoiceForm| edit(&mut form.lines[1]);
    check_entry(
        line(|l| l.description.clear()),
        &[("lines[1].description", "line-description-required")],
    );
    check_entry(
        line(|l| l.quantity = Decimal::ZERO),
        &[("lines[1].quantity", "line-quantity-not-positive")],
    );
    check_entry(
        line(|l| l.quantity = Decimal::new(-1, 0)),
        &[("lines[1].quantity", "line-quantity-not-positive")],
    );
    check_entry(line(|l| l.quantity = Decimal::new(12_345, 4)), &[]);
    check_entry(
        line(|l| l.quantity = Decimal::new(123_456, 5)),
        &[("lines[1].quantity", "line-quantity-decimals")],
    );
    check_entry(
        line(|l| l.unit_price = Decimal::new(-1, 0)),
        &[("lines[1].unit_price", "line-unit-price-negative")],
    );
    check_entry(line(|l| l.unit_price = Decimal::ZERO), &[]);
    check_entry(
        line(|l| l.unit_price = Decimal::new(333_333, 5)),
        &[("lines[1].unit_price", "line-unit-price-decimals")],
    );
    check_entry(
        line(|l| l.vat_rate = None),
        &[("lines[1].vat_rate", "line-vat-rate-required")],
    );
}

#[test]
fn a_discount_is_a_positive_amount_up_to_the_gross_line() {
    let discount = |cents: i64| {
        move |form: &mut InvoiceForm| form.lines[1].discount = Amount::from_cents(cents)
    };
    check_entry(discount(897), &[]);
    check_entry(
        discount(898),
        &[("lines[1].discount", "line-discount-too-large")],
    );
    check_entry(
        discount(-1),
        &[("lines[1].discount", "line-discount-negative")],
    );
    check_entry(
        |form| form.lines[1].discount = Amount::new(Decimal::new(1005, 3)),
        &[("lines[1].discount", "amount-too-many-decimals")],
    );
}

// --- amounts --------------------------------------------------------------------------------

#[test]
fn already_paid_is_between_zero_and_ttc() {
    // TTC of the valid form: (250,00 + 8,97) × 1,2 = 310,76.
    check_entry(|form| form.already_paid = Amount::from_cents(31_076), &[]);
    check_entry(
        |form| form.already_paid = Amount::from_cents(31_077),
        &[("already_paid", "already-paid-exceeds-ttc")],
    );
    check_entry(
        |form| form.already_paid = Amount::from_cents(-1),
        &[("already_paid", "already-paid-negative")],
    );
    check_entry(
        |form| form.already_paid = Amount::new(Decimal::new(1005, 3)),
        &[("already_paid", "amount-too-many-decimals")],
    );
}

#[test]
fn a2_means_fully_paid() {
    // Reference 9.5: « Cadre A2 with net à payer > 0 ».
    check_entry(
        |form| form.cadre = Some(Cadre::A2),
        &[("already_paid", "a2-not-fully-paid")],
    );
    check_entry(
        |form| {
            form.cadre = Some(Cadre::A2);
            form.already_paid = Amount::from_cents(31_000);
        },
        &[("already_paid", "a2-not-fully-paid")],
    );
    check_entry(
        |form| {
            form.cadre = Some(Cadre::A2);
            form.already_paid = Amount::from_cents(31_076);
        },
        &[],
    );
}

// --- attachments ----------------------------------------------------------------------------

#[test]
fn attachments_follow_the_name_extension_and_size_rules() {
    let one = |name: &'static str, size: u64| {
        move |form: &mut InvoiceForm| form.attachments = vec![attachment(name, size)]
    };
    // Reference 9.5: « facture.exe », a 51-character name, no extension, 10,5 MB.
    check_entry(
        one("facture.exe", 1000),
        &[("attachments[0]", "attachment-extension-refused")],
    );
    let name_51 = "a".repeat(47) + ".pdf";
    assert_eq!(name_51.chars().count(), 51);
    check_entry(
        |form| form.attachments = vec![attachment(&name_51, 1000)],
        &[("attachments[0]", "attachment-name-too-long")],
    );
    let name_50 = "a".repeat(46) + ".pdf";
    check_entry(
        |form| form.attachments = vec![attachment(&name_50, 1000)],
        &[],
    );
    check_entry(
        one("facture", 1000),
        &[("attachments[0]", "attachment-extension-missing")],
    );
    check_entry(
        one("facture.pdf", 10_500_000),
        &[("attachments[0]", "attachment-too-large")],
    );
    check_entry(one("facture.pdf", 9_999_999), &[]);
    check_entry(
        one("facture.pdf", 0),
        &[("attachments[0]", "attachment-empty")],
    );
    check_entry(
        one("", 10),
        &[("attachments[0]", "attachment-name-required")],
    );
    check_entry(one("Bon de livraison.JPEG", 10), &[]);
    check_entry(one("devis.docx", 10), &[]);
}

#[test]
fn attachments_together_stay_under_120_mb() {
    check_entry(
        |form| {
            form.attachments = (0..13)
                .map(|idx| attachment(&format!("pj{idx}.pdf"), 9_500_000))
                .collect()
        },
        &[("attachments", "attachments-too-large")],
    );
    check_entry(
        |form| {
            form.attachments = (0..12)
                .map(|idx| attachment(&format!("pj{idx}.pdf"), 9_500_000))
                .collect()
        },
        &[],
    );
}

#[test]
fn a_password_protected_pdf_is_refused_at_sending() {
    let protect = |form: &mut InvoiceForm| form.attachments[0].password_protected = true;
    check_entry(protect, &[]);
    check_send(
        protect,
        &[("attachments[0]", "attachment-password-protected")],
    );
}

// --- sending --------------------------------------------------------------------------------

#[test]
fn an_invoice_without_lines_cannot_be_sent() {
    check_entry(|form| form.lines.clear(), &[]);
    check_send(|form| form.lines.clear(), &[("lines", "lines-required")]);
}

#[test]
fn invoice_number_is_unique_per_supplier() {
    check_send(
        |form| form.number = "FAC-2025-0001".to_owned(),
        &[("number", "number-duplicate")],
    );
    // A rejected invoice keeps its number.
    check_send(
        |form| form.number = "fac-2025-0099".to_owned(),
        &[("number", "number-duplicate")],
    );
    // A deleted draft frees it; another supplier's number does not count.
    check_send(|form| form.number = "BROUILLON-1".to_owned(), &[]);
    check_send(
        |form| form.supplier_siret = DURAND.to_owned(),
        &[("number", "number-duplicate")],
    );
}

#[test]
fn a_recipient_may_require_a_known_active_code_service() {
    let commune = |service: &'static str| {
        move |form: &mut InvoiceForm| {
            form.recipient_siret = COMMUNE.to_owned();
            form.service_code = service.to_owned();
        }
    };
    check_entry(commune(""), &[]);
    check_send(commune(""), &[("service_code", "service-required")]);
    check_send(commune("SERV-FIN"), &[]);
    check_send(
        commune("ATELIER MUNICIPAL"),
        &[("service_code", "service-unknown")],
    );
    check_send(commune("INCONNU"), &[("service_code", "service-unknown")]);
    let mut form = valid_form();
    commune("INCONNU")(&mut form);
    let errors = validate_send(&form, &ctx(ActorRole::Fournisseur), &[]);
    assert_eq!(
        errors[0].message,
        "Le code service de la structure publique destinataire est inconnu ou inactif dans Chorus Pro"
    );
}

#[test]
fn a_recipient_may_require_an_engagement() {
    let hopital = |engagement: &'static str| {
        move |form: &mut InvoiceForm| {
            form.recipient_siret = HOPITAL.to_owned();
            form.engagement = engagement.to_owned();
        }
    };
    check_send(hopital(""), &[("engagement", "engagement-required")]);
    check_send(hopital("BC-2025-00142"), &[]);
}

#[test]
fn a_recipient_may_require_a_service_or_an_engagement() {
    let communaute = |service: &'static str, engagement: &'static str| {
        move |form: &mut InvoiceForm| {
            form.recipient_siret = COMMUNAUTE.to_owned();
            form.service_code = service.to_owned();
            form.engagement = engagement.to_owned();
        }
    };
    check_send(
        communaute("", ""),
        &[("engagement", "service-or-engagement-required")],
    );
    check_send(communaute("DIR_TECH", ""), &[]);
    check_send(communaute("", "EJ2025-0456"), &[]);
}

#[test]
fn a_recipient_may_require_both() {
    let departement = |form: &mut InvoiceForm| form.recipient_siret = DEPARTEMENT.to_owned();
    check_send(
        departement,
        &[
            ("service_code", "service-required"),
            ("engagement", "engagement-required"),
        ],
    );
}

#[test]
fn state_engagements_must_exist() {
    let etat = |engagement: &'static str| {
        move |form: &mut InvoiceForm| {
            form.recipient_siret = ETAT.to_owned();
            form.engagement = engagement.to_owned();
        }
    };
    check_send(etat("1300012345"), &[]);
    check_send(etat("1300099999"), &[("engagement", "engagement-unknown")]);
    check_send(etat(""), &[]);
}

#[test]
fn recipient_rules_are_not_applied_to_an_unknown_recipient() {
    check_send(
        |form| form.recipient_siret = UNIVERSITE.to_owned(),
        &[("recipient_siret", "recipient-unknown")],
    );
}

// --- recycling ------------------------------------------------------------------------------

#[track_caller]
fn check_recycle(edit: impl FnOnce(&mut InvoiceForm), expected: &[(&str, &str)]) {
    let original = valid_form();
    let mut edited = original.clone();
    edit(&mut edited);
    assert_eq!(pairs(&check_recycled_form(&original, &edited)), expected);
}

#[test]
fn recycling_changes_only_routing_fields_and_keeps_the_number() {
    check_recycle(|form| form.recipient_siret = COMMUNE.to_owned(), &[]);
    check_recycle(|form| form.service_code = "SERV-FIN".to_owned(), &[]);
    check_recycle(|form| form.engagement = "BC-2025-00142".to_owned(), &[]);
    check_recycle(
        |form| {
            form.service_code = "SERV-FIN".to_owned();
            form.number = "FAC-2025-0003".to_owned();
        },
        &[("number", "recycle-number-changed")],
    );
    check_recycle(
        |form| {
            form.service_code = "SERV-FIN".to_owned();
            form.lines.pop();
            form.comment = "Corrigé".to_owned();
        },
        &[
            ("lines", "recycle-field-locked"),
            ("comment", "recycle-field-locked"),
        ],
    );
    check_recycle(|_| {}, &[("recipient_siret", "recycle-nothing-changed")]);
}
