//! Field rules of the invoice form: [`validate_entry`] (errors shown while entering) and
//! [`validate_send`] (refusal at « Valider et envoyer »), plus [`check_recycled_form`] for an
//! invoice « À recycler ».
//!
//! The recipient's settings (reference 2.3) arrive as [`Recipient`] values prepared by the
//! simulated world. Messages use the portal's wording where the reference quotes it (3.3);
//! elsewhere the wording is ours.

use serde::{Deserialize, Serialize};

use super::amount::{Amount, VatRate};
use super::cadre::{ActorRole, Espace};
use super::date::Date;
use super::form::{limits, Attachment, InvoiceForm, InvoiceKind};
use super::status::Status;
use super::totals::compute_totals;
use super::FieldError;
use crate::validate;

/// A public recipient structure as the directory (« Rechercher structure publique ») shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Recipient {
    /// SIRET of the structure.
    pub siret: String,
    /// Raison sociale.
    pub name: String,
    /// Whether the structure is active in Chorus Pro.
    pub active: bool,
    /// Its services.
    pub services: Vec<RecipientService>,
    /// `codeServiceDoitEtreRenseigne`: the code service is mandatory.
    pub service_required: bool,
    /// `numeroEJDoitEtreRenseigne`: the engagement number is mandatory.
    pub engagement_required: bool,
    /// `gestionNumeroEJOuCodeService`: at least one of the two is mandatory.
    pub service_or_engagement: bool,
    /// The opposite of `statutMiseEnPaiementNestPasRemonte`: whether the recipient reports the
    /// « Mise en paiement » status (« gestion du statut mise en paiement »).
    pub reports_payment_status: bool,
    /// For recipients whose engagements Chorus Pro checks for existence (the State): the known
    /// engagement numbers. `None` when engagements are not checked.
    pub checked_engagements: Option<Vec<String>>,
}

/// A service of a recipient structure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecipientService {
    /// The code service.
    pub code: String,
    /// Its label.
    pub label: String,
    /// Whether the service is active: invoices can only be addressed to an active service.
    pub active: bool,
}

/// An invoice already known to the simulated portal, for the uniqueness rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingInvoice {
    /// SIRET of the supplier that issued it.
    pub supplier_siret: String,
    /// Its number.
    pub number: String,
    /// Its current status; deleted drafts (« Supprimée ») no longer hold their number.
    pub status: Status,
}

/// What the rules need to know about the world. The world leaves out the invoice being edited
/// from `existing`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationContext {
    /// The role of the logged-in user's structure, which decides the cadres offered.
    pub role: ActorRole,
    /// SIRETs of the structures the user is attached to (his possible « Fournisseur »).
    pub supplier_sirets: Vec<String>,
    /// Ids of the bank accounts declared on the supplier structure.
    pub bank_accounts: Vec<String>,
    /// The directory of public recipients.
    pub recipients: Vec<Recipient>,
    /// Today in simulated time: the deposit date if the invoice is sent now.
    pub today: Date,
}

/// Checks the fields on their own and against the directory, as the form does during entry.
///
/// Covers: cadre offered to the role (1.2), valideur for A9/A12, supplier and recipient SIRETs
/// (format, existence, activity: « a PDF invoice cannot even be saved for an unknown or
/// inactive structure », 2.2), code service characters, engagement length, invoice number and
/// date (not after today), avoir and original number, currency, VAT regime and exemption
/// reason, bank account, lines, déjà payé (A2 fully paid), attachments and commentaire.
pub fn validate_entry(
    form: &InvoiceForm,
    ctx: &ValidationContext,
    existing: &[ExistingInvoice],
) -> Vec<FieldError> {
    // Entry rules do not need the other invoices; the parameter keeps both entry points alike.
    let _ = existing;
    let mut res = Vec::new();
    check_cadre(form, ctx, &mut res);
    check_parties(form, ctx, &mut res);
    check_references(form, ctx, &mut res);
    check_vat_regime(form, &mut res);
    check_lines(form, &mut res);
    check_amounts(form, &mut res);
    for (idx, attachment) in form.attachments.iter().enumerate() {
        res.extend(check_attachment(&format!("attachments[{idx}]"), attachment));
    }
    check_attachments_total(form, &mut res);
    if form.comment.chars().count() > limits::COMMENT_MAX_CHARS {
        res.push(FieldError::new(
            "comment",
            "comment-too-long",
            format!(
                "Le commentaire est limité à {} caractères.",
                limits::COMMENT_MAX_CHARS
            ),
            "Le champ « Commentaire » accepte au plus 200 caractères.",
        ));
    }
    res
}

/// Everything [`validate_entry`] checks, plus what makes Chorus Pro refuse the deposit (3.3 a):
/// at least one line, invoice number unique per supplier, the recipient's mandatory code
/// service / engagement / « EJ ou code service », an active known service, the engagement's
/// existence when the recipient is checked (the State), and no password-protected PDF.
pub fn validate_send(
    form: &InvoiceForm,
    ctx: &ValidationContext,
    existing: &[ExistingInvoice],
) -> Vec<FieldError> {
    let mut res = validate_entry(form, ctx, existing);
    if form.lines.is_empty() {
        res.push(FieldError::new(
            "lines",
            "lines-required",
            "Saisissez au moins une ligne de facture.".to_owned(),
            "Une facture comporte au moins une ligne (désignation, quantité, prix unitaire HT, taux de TVA).",
        ));
    }
    let number = form.number.trim();
    let duplicate = existing.iter().any(|invoice| {
        invoice.status != Status::Supprimee
            && invoice.supplier_siret == form.supplier_siret
            && invoice.number.trim().eq_ignore_ascii_case(number)
    });
    if !number.is_empty() && duplicate {
        res.push(FieldError::new(
            "number",
            "number-duplicate",
            format!("Le numéro de facture « {number} » a déjà été utilisé par ce fournisseur."),
            "Le numéro de facture est unique pour un fournisseur, même si la facture précédente a été rejetée : \
une facture rejetée est refaite sous un nouveau numéro.",
        ));
    }
    if let Some(recipient) = find_recipient(ctx, &form.recipient_siret).filter(|r| r.active) {
        check_recipient_requirements(form, recipient, &mut res);
    }
    for (idx, attachment) in form.attachments.iter().enumerate() {
        if attachment.password_protected {
            res.push(FieldError::new(
                format!("attachments[{idx}]"),
                "attachment-password-protected",
                format!(
                    "Le fichier « {} » est protégé par un mot de passe.",
                    attachment.name
                ),
                "Chorus Pro refuse les PDF protégés par un mot de passe.",
            ));
        }
    }
    res
}

/// Checks one attachment: name (≤ 50 characters, extension included), extension present and
/// accepted, not empty, under 10 MB (reference 2.4; the size limit is the connector's, the
/// portal's per-type limits are *unconfirmed*). `field` is the path to report.
pub fn check_attachment(field: &str, attachment: &Attachment) -> Vec<FieldError> {
    let mut res = Vec::new();
    let name = attachment.name.trim();
    if name.is_empty() {
        res.push(FieldError::new(
            field,
            "attachment-name-required",
            "Le fichier n'a pas de nom.".to_owned(),
            RULE_ATTACHMENT_NAME,
        ));
        return res;
    }
    if name.chars().count() > limits::ATTACHMENT_NAME_MAX_CHARS {
        res.push(FieldError::new(
            field,
            "attachment-name-too-long",
            format!("Le nom du fichier « {name} » dépasse 50 caractères."),
            RULE_ATTACHMENT_NAME,
        ));
    }
    match attachment.extension() {
        None => res.push(FieldError::new(
            field,
            "attachment-extension-missing",
            format!("Le fichier « {name} » n'a pas d'extension."),
            RULE_ATTACHMENT_NAME,
        )),
        Some(ext) if !limits::ATTACHMENT_EXTENSIONS.contains(&ext.as_str()) => res.push(FieldError::new(
            field,
            "attachment-extension-refused",
            format!("Le format .{} n'est pas accepté.", ext.to_lowercase()),
            "Formats acceptés : PDF, images (JPG, PNG, TIFF…), bureautique (DOC, DOCX, ODT, XLS, XLSX, ODS…), \
XML, CSV, TXT et archives (ZIP, GZ…). Les programmes (.exe…) sont refusés.",
        )),
        Some(_) => {}
    }
    if attachment.size_bytes == 0 {
        res.push(FieldError::new(
            field,
            "attachment-empty",
            format!("Le fichier « {name} » est vide."),
            "Un fichier de 0 octet est refusé.",
        ));
    } else if attachment.size_bytes >= limits::ATTACHMENT_MAX_BYTES {
        res.push(FieldError::new(
            field,
            "attachment-too-large",
            format!("Le fichier « {name} » dépasse 10 Mo."),
            "Chaque pièce jointe doit peser moins de 10 Mo, et la facture avec toutes ses pièces jointes \
moins de 120 Mo.",
        ));
    }
    res
}

/// Checks the edits made to an invoice « À recycler » before it is sent again: only the
/// recipient SIRET, the code service and the engagement number may change, at least one of them
/// must change, and the invoice number is kept (reference 3.3 b, 4.2).
pub fn check_recycled_form(original: &InvoiceForm, edited: &InvoiceForm) -> Vec<FieldError> {
    let mut res = Vec::new();
    if edited.number != original.number {
        res.push(FieldError::new(
            "number",
            "recycle-number-changed",
            "Le numéro de facture ne peut pas être modifié lors d'un recyclage.".to_owned(),
            RULE_RECYCLE,
        ));
    }
    let mut routing_reset = edited.clone();
    routing_reset.recipient_siret = original.recipient_siret.clone();
    routing_reset.service_code = original.service_code.clone();
    routing_reset.engagement = original.engagement.clone();
    routing_reset.number = original.number.clone();
    if routing_reset != *original {
        let mut fields = changed_fields(original, &routing_reset);
        if fields.is_empty() {
            // A field added to the form but not to `changed_fields`: still refuse the edit.
            fields.push("form");
        }
        for field in fields {
            res.push(FieldError::new(
                field,
                "recycle-field-locked",
                "Seuls le SIRET du destinataire, le code service et le numéro d'engagement peuvent être \
modifiés lors d'un recyclage."
                    .to_owned(),
                RULE_RECYCLE,
            ));
        }
    }
    let routing_changed = edited.recipient_siret != original.recipient_siret
        || edited.service_code != original.service_code
        || edited.engagement != original.engagement;
    if !routing_changed {
        res.push(FieldError::new(
            "recipient_siret",
            "recycle-nothing-changed",
            "Corrigez le SIRET du destinataire, le code service ou le numéro d'engagement avant de renvoyer \
la facture."
                .to_owned(),
            RULE_RECYCLE,
        ));
    }
    res
}

const RULE_ATTACHMENT_NAME: &str =
    "Le nom d'une pièce jointe fait au plus 50 caractères, extension comprise, et l'extension est obligatoire.";
const RULE_RECYCLE: &str =
    "Une facture « À recycler » a une erreur d'acheminement : on corrige uniquement le SIRET \
du destinataire, le code service ou le numéro d'engagement, et on la renvoie sous le même numéro.";

fn check_cadre(form: &InvoiceForm, ctx: &ValidationContext, res: &mut Vec<FieldError>) {
    let Some(cadre) = form.cadre else {
        res.push(FieldError::new(
            "cadre",
            "cadre-required",
            "Choisissez le cadre de facturation.".to_owned(),
            "Le cadre de facturation est obligatoire : il détermine le circuit de la facture.",
        ));
        return;
    };
    if cadre.espace() != Espace::FacturesEmises {
        res.push(FieldError::new(
            "cadre",
            "cadre-not-invoice",
            format!("Le cadre {} ({}) ne se saisit pas dans « Factures émises ».", cadre.code(), cadre.label()),
            "Les pièces de travaux se déposent dans l'espace « Factures de travaux », sans saisie de formulaire ; \
« Factures émises » n'offre que les cadres A1, A2, A9 et A12.",
        ));
    } else if !ctx.role.cadres_offered().contains(&cadre) {
        res.push(FieldError::new(
            "cadre",
            "cadre-not-offered",
            format!(
                "Le cadre {} n'est pas proposé à un {}.",
                cadre.code(),
                ctx.role.label()
            ),
            "A1 et A2 : fournisseur ; A9 : sous-traitant ; A12 : cotraitant.",
        ));
    }
    if cadre.needs_valideur() {
        if form.valideur_siret.trim().is_empty() {
            res.push(FieldError::new(
                "valideur_siret",
                "valideur-required",
                "Le valideur est obligatoire pour ce cadre de facturation.".to_owned(),
                "Une facture de sous-traitant (A9) est validée par le titulaire, une facture de cotraitant (A12) \
par le mandataire : indiquez son SIRET.",
            ));
        } else if let Err(error) = validate::siret("valideur_siret", &form.valideur_siret) {
            res.push(error);
        } else if same_siret(&form.valideur_siret, &form.supplier_siret) {
            res.push(FieldError::new(
                "valideur_siret",
                "valideur-is-supplier",
                "Le valideur ne peut pas être votre propre structure.".to_owned(),
                "Le valideur est le titulaire (pour un sous-traitant) ou le mandataire (pour un cotraitant).",
            ));
        }
    }
}

fn check_parties(form: &InvoiceForm, ctx: &ValidationContext, res: &mut Vec<FieldError>) {
    if form.supplier_siret.trim().is_empty() {
        res.push(FieldError::new(
            "supplier_siret",
            "supplier-required",
            "Choisissez la structure fournisseur.".to_owned(),
            "Le fournisseur est l'une des structures auxquelles votre compte est rattaché.",
        ));
    } else if !ctx
        .supplier_sirets
        .iter()
        .any(|siret| same_siret(siret, &form.supplier_siret))
    {
        res.push(FieldError::new(
            "supplier_siret",
            "supplier-not-attached",
            "Vous n'êtes pas rattaché à cette structure.".to_owned(),
            "On ne peut facturer qu'au nom d'une structure à laquelle son compte est rattaché.",
        ));
    }

    if form.recipient_siret.trim().is_empty() {
        res.push(FieldError::new(
            "recipient_siret",
            "recipient-required",
            "L'identifiant du destinataire est obligatoire.".to_owned(),
            "Le destinataire est identifié par le SIRET de la structure publique (14 chiffres).",
        ));
        return;
    }
    if let Err(error) = validate::siret("recipient_siret", &form.recipient_siret) {
        res.push(error);
        return;
    }
    match find_recipient(ctx, &form.recipient_siret) {
        Some(recipient) if recipient.active => {
            if !form.service_code.trim().is_empty() {
                if let Err(error) = validate::code_service("service_code", &form.service_code) {
                    res.push(error);
                }
            }
        }
        _ => res.push(FieldError::new(
            "recipient_siret",
            "recipient-unknown",
            "Destinataire introuvable ou inactif dans Chorus Pro.".to_owned(),
            "Le destinataire doit être une structure publique existante et active de l'annuaire Chorus Pro : \
un SIRET avec une clé juste peut ne correspondre à aucun établissement.",
        )),
    }
}

fn check_references(form: &InvoiceForm, ctx: &ValidationContext, res: &mut Vec<FieldError>) {
    if form.engagement.trim().chars().count() > limits::ENGAGEMENT_MAX_CHARS {
        res.push(FieldError::new(
            "engagement",
            "engagement-too-long",
            format!(
                "Le numéro d'engagement est limité à {} caractères.",
                limits::ENGAGEMENT_MAX_CHARS
            ),
            "Le numéro d'engagement juridique (bon de commande) fait au plus 50 caractères.",
        ));
    }
    let number = form.number.trim();
    if number.is_empty() {
        res.push(FieldError::new(
            "number",
            "number-required",
            "Le numéro de facture est obligatoire.".to_owned(),
            "Chaque facture porte un numéro, unique pour le fournisseur.",
        ));
    }
    match form.invoice_date {
        None => res.push(FieldError::new(
            "invoice_date",
            "invoice-date-required",
            "La date de facture est obligatoire.".to_owned(),
            "La date de facture est obligatoire (format JJ/MM/AAAA).",
        )),
        Some(date) if date > ctx.today => res.push(FieldError::new(
            "invoice_date",
            "invoice-date-future",
            format!(
                "La date de facture ({date}) est postérieure à la date de dépôt ({}).",
                ctx.today
            ),
            "La date de facture doit être antérieure ou égale à la date de dépôt.",
        )),
        Some(_) => {}
    }
    if form.kind == InvoiceKind::Avoir {
        let original = form.original_number.trim();
        if original.is_empty() {
            res.push(FieldError::new(
                "original_number",
                "original-number-required",
                "Indiquez le numéro de la facture d'origine.".to_owned(),
                "Un avoir corrige une facture précédente : il indique son numéro (numéro de facture d'origine).",
            ));
        } else if original.eq_ignore_ascii_case(number) {
            res.push(FieldError::new(
                "original_number",
                "original-number-same",
                "Le numéro de la facture d'origine doit être différent du numéro de l'avoir."
                    .to_owned(),
                "L'avoir a son propre numéro ; la facture d'origine est la facture qu'il corrige.",
            ));
        }
    }
    let currency = form.currency.trim();
    if !currency.is_empty() && !currency.eq_ignore_ascii_case("EUR") {
        res.push(FieldError::new(
            "currency",
            "currency-not-eur",
            "Les factures de ce parcours sont en euros (EUR).".to_owned(),
            "La devise est un code ISO 4217, normalement EUR ; une autre devise demande un taux de change.",
        ));
    }
    let bank = form.bank_account.trim();
    if !bank.is_empty() && !ctx.bank_accounts.iter().any(|id| id == bank) {
        res.push(FieldError::new(
            "bank_account",
            "bank-account-unknown",
            "Ces coordonnées bancaires ne sont pas déclarées sur la structure fournisseur.".to_owned(),
            "Les coordonnées bancaires se choisissent parmi celles déclarées sur la fiche de la structure.",
        ));
    }
}

fn check_vat_regime(form: &InvoiceForm, res: &mut Vec<FieldError>) {
    let Some(regime) = form.vat_regime else {
        res.push(FieldError::new(
            "vat_regime",
            "vat-regime-required",
            "Choisissez le régime de TVA.".to_owned(),
            "Régimes : TVA sur les débits, TVA sur les encaissements, exonération, sans TVA.",
        ));
        return;
    };
    if regime.needs_exemption_reason() && form.exemption_reason.trim().is_empty() {
        res.push(FieldError::new(
            "exemption_reason",
            "exemption-reason-required",
            "Indiquez le motif d'exonération de TVA.".to_owned(),
            "Une facture exonérée indique pourquoi, par exemple « TVA non applicable, art. 293 B du CGI » \
(franchise en base) ou « Autoliquidation » (sous-traitance de travaux).",
        ));
    }
    if regime.is_without_vat() {
        for (idx, line) in form.lines.iter().enumerate() {
            if line.vat_rate.is_some_and(|rate| rate != VatRate::Zero) {
                res.push(FieldError::new(
                    format!("lines[{idx}].vat_rate"),
                    "vat-rate-not-zero",
                    format!("Avec le régime « {} », la ligne {} doit être à 0 %.", regime.label(), idx + 1),
                    "Une facture exonérée ou sans TVA ne facture pas de TVA : toutes ses lignes sont à 0 %.",
                ));
            }
        }
    }
}

fn check_lines(form: &InvoiceForm, res: &mut Vec<FieldError>) {
    for (idx, line) in form.lines.iter().enumerate() {
        let path = |part: &str| format!("lines[{idx}].{part}");
        let n = idx + 1;
        if line.description.trim().is_empty() {
            res.push(FieldError::new(
                path("description"),
                "line-description-required",
                format!("Saisissez la désignation de la ligne {n}."),
                "Chaque ligne indique ce qui est facturé (désignation).",
            ));
        }
        if line.quantity <= rust_decimal::Decimal::ZERO {
            res.push(FieldError::new(
                path("quantity"),
                "line-quantity-not-positive",
                format!("La quantité de la ligne {n} doit être positive."),
                "La quantité est un nombre positif ; un avoir se saisit aussi avec des quantités positives.",
            ));
        } else if line.quantity.normalize().scale() > limits::QUANTITY_MAX_DECIMALS {
            res.push(FieldError::new(
                path("quantity"),
                "line-quantity-decimals",
                format!("La quantité de la ligne {n} a plus de 4 décimales."),
                "Une quantité a au plus 4 décimales.",
            ));
        }
        if line.unit_price < rust_decimal::Decimal::ZERO {
            res.push(FieldError::new(
                path("unit_price"),
                "line-unit-price-negative",
                format!("Le prix unitaire HT de la ligne {n} ne peut pas être négatif."),
                "Le prix unitaire HT est positif ; une remise se saisit dans le champ remise.",
            ));
        } else if line.unit_price.normalize().scale() > limits::UNIT_PRICE_MAX_DECIMALS {
            res.push(FieldError::new(
                path("unit_price"),
                "line-unit-price-decimals",
                format!("Le prix unitaire HT de la ligne {n} a plus de 4 décimales."),
                "Un prix unitaire a au plus 4 décimales ; les montants calculés sont arrondis au centime.",
            ));
        }
        if line.discount.is_negative() {
            res.push(FieldError::new(
                path("discount"),
                "line-discount-negative",
                format!("La remise de la ligne {n} ne peut pas être négative."),
                "La remise est un montant HT positif, déduit du montant de la ligne.",
            ));
        } else if line.discount.decimals() > 2 {
            res.push(FieldError::new(
                path("discount"),
                "amount-too-many-decimals",
                format!("La remise de la ligne {n} a plus de 2 décimales."),
                "Un montant en euros a au plus deux décimales (les centimes).",
            ));
        } else if line.discount.value()
            > (line.quantity * line.unit_price).max(rust_decimal::Decimal::ZERO)
        {
            res.push(FieldError::new(
                path("discount"),
                "line-discount-too-large",
                format!("La remise de la ligne {n} dépasse le montant de la ligne."),
                "Montant HT de la ligne = quantité × prix unitaire HT − remise : la remise ne peut pas dépasser \
quantité × prix unitaire.",
            ));
        }
        if line.vat_rate.is_none() {
            res.push(FieldError::new(
                path("vat_rate"),
                "line-vat-rate-required",
                format!("Choisissez le taux de TVA de la ligne {n}."),
                "Taux de TVA en vigueur : 20 %, 10 %, 5,5 %, 2,1 % ou 0 %.",
            ));
        }
    }
}

fn check_amounts(form: &InvoiceForm, res: &mut Vec<FieldError>) {
    let paid = form.already_paid;
    if paid.is_negative() {
        res.push(FieldError::new(
            "already_paid",
            "already-paid-negative",
            "Le montant déjà payé ne peut pas être négatif.".to_owned(),
            RULE_ALREADY_PAID,
        ));
        return;
    }
    if paid.decimals() > 2 {
        res.push(FieldError::new(
            "already_paid",
            "amount-too-many-decimals",
            "Le montant déjà payé a plus de 2 décimales.".to_owned(),
            "Un montant en euros a au plus deux décimales (les centimes).",
        ));
        return;
    }
    let totals = compute_totals(form);
    if paid > totals.total_ttc {
        res.push(FieldError::new(
            "already_paid",
            "already-paid-exceeds-ttc",
            "Le montant déjà payé dépasse le montant TTC.".to_owned(),
            RULE_ALREADY_PAID,
        ));
    } else if form.cadre == Some(super::cadre::Cadre::A2) && totals.net_to_pay != Amount::ZERO {
        res.push(FieldError::new(
            "already_paid",
            "a2-not-fully-paid",
            "Avec le cadre A2, la facture doit être entièrement payée : le net à payer doit être nul.".to_owned(),
            "Le cadre A2 sert à déposer une facture déjà payée en totalité ; une facture restant à payer se dépose \
en A1.",
        ));
    }
}

const RULE_ALREADY_PAID: &str =
    "Net à payer = montant TTC − montant déjà payé ; le montant déjà payé est compris \
entre 0 et le montant TTC.";

fn check_attachments_total(form: &InvoiceForm, res: &mut Vec<FieldError>) {
    let total: u64 = form
        .attachments
        .iter()
        .map(|attachment| attachment.size_bytes)
        .sum();
    if total > limits::ATTACHMENTS_TOTAL_MAX_BYTES {
        res.push(FieldError::new(
            "attachments",
            "attachments-too-large",
            "Les pièces jointes dépassent 120 Mo au total.".to_owned(),
            "La facture avec toutes ses pièces jointes doit peser moins de 120 Mo.",
        ));
    }
}

fn check_recipient_requirements(
    form: &InvoiceForm,
    recipient: &Recipient,
    res: &mut Vec<FieldError>,
) {
    let service = form.service_code.trim();
    let engagement = form.engagement.trim();
    if recipient.service_required && service.is_empty() {
        res.push(FieldError::new(
            "service_code",
            "service-required",
            // French original *unconfirmed*; restates "Performing service is mandatory for this recipient".
            "Le code service est obligatoire pour ce destinataire.".to_owned(),
            "Ce destinataire exige un code service sur chaque facture : consultez l'annuaire des structures publiques.",
        ));
    }
    if recipient.engagement_required && engagement.is_empty() {
        res.push(FieldError::new(
            "engagement",
            "engagement-required",
            "Le numéro d'engagement est obligatoire pour ce destinataire.".to_owned(),
            "Ce destinataire exige le numéro d'engagement juridique (bon de commande) sur chaque facture.",
        ));
    }
    if recipient.service_or_engagement && service.is_empty() && engagement.is_empty() {
        res.push(FieldError::new(
            "engagement",
            "service-or-engagement-required",
            "Ce destinataire exige un code service ou un numéro d'engagement.".to_owned(),
            "Avec le paramètre « EJ ou code service », au moins l'un des deux doit être renseigné.",
        ));
    }
    if !service.is_empty() && validate::code_service("service_code", service).is_ok() {
        let known_active = recipient
            .services
            .iter()
            .any(|s| s.active && s.code.trim() == service);
        if !known_active {
            res.push(FieldError::new(
                "service_code",
                "service-unknown",
                // Portal wording, reference 3.3 (a).
                "Le code service de la structure publique destinataire est inconnu ou inactif dans Chorus Pro".to_owned(),
                "Le code service doit être celui d'un service actif du destinataire, tel que l'annuaire l'affiche.",
            ));
        }
    }
    if let Some(known) = &recipient.checked_engagements {
        if !engagement.is_empty() && !known.iter().any(|ej| ej.trim() == engagement) {
            res.push(FieldError::new(
                "engagement",
                "engagement-unknown",
                "Ce numéro d'engagement n'existe pas chez ce destinataire.".to_owned(),
                "Quand le destinataire est l'État, Chorus Pro vérifie que l'engagement indiqué existe.",
            ));
        }
    }
}

fn find_recipient<'a>(ctx: &'a ValidationContext, siret: &str) -> Option<&'a Recipient> {
    ctx.recipients
        .iter()
        .find(|recipient| same_siret(&recipient.siret, siret))
}

fn same_siret(left: &str, right: &str) -> bool {
    let digits = |text: &str| {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    digits(left) == digits(right)
}

fn changed_fields(original: &InvoiceForm, edited: &InvoiceForm) -> Vec<&'static str> {
    let checks = [
        ("cadre", original.cadre != edited.cadre),
        (
            "valideur_siret",
            original.valideur_siret != edited.valideur_siret,
        ),
        (
            "valideur_service",
            original.valideur_service != edited.valideur_service,
        ),
        (
            "supplier_siret",
            original.supplier_siret != edited.supplier_siret,
        ),
        (
            "supplier_service",
            original.supplier_service != edited.supplier_service,
        ),
        (
            "market_number",
            original.market_number != edited.market_number,
        ),
        ("kind", original.kind != edited.kind),
        (
            "original_number",
            original.original_number != edited.original_number,
        ),
        ("invoice_date", original.invoice_date != edited.invoice_date),
        ("currency", original.currency != edited.currency),
        ("vat_regime", original.vat_regime != edited.vat_regime),
        (
            "exemption_reason",
            original.exemption_reason != edited.exemption_reason,
        ),
        ("payment_mode", original.payment_mode != edited.payment_mode),
        ("bank_account", original.bank_account != edited.bank_account),
        ("lines", original.lines != edited.lines),
        ("already_paid", original.already_paid != edited.already_paid),
        ("attachments", original.attachments != edited.attachments),
        ("comment", original.comment != edited.comment),
    ];
    checks
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(field, _)| field)
        .collect()
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
