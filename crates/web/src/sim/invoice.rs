//! « Saisir une facture » and « Déposer une facture »: the invoice form, drawn from the
//! strings the learner typed (a [`Values`]), read back into a `didact_sim` [`InvoiceForm`].
//!
//! 1. The form is drawn from a [`Values`]: empty for a new saisie, or the form of a draft (a
//!    PDF deposit pre-fills one). Adding a line or an attachment redraws it from what was typed.
//! 2. On each keystroke [`live_totals`] reads the form leniently and shows `compute_totals`.
//! 3. « Enregistrer » and « Valider et envoyer » read it strictly with [`read_invoice`]: a
//!    number that cannot be read is an error on its field; amounts typed by hand are compared
//!    with `check_typed_totals`. Then the action goes to `didact_sim::apply`.
//!
//! Amounts stay strings or `rust_decimal` values inside `didact_sim`: no float here.

use didact_map::VecMap;

use didact_sim::invoice::{
    check_typed_totals, compute_totals, parse_decimal_fr, Amount, Attachment, Cadre, Date,
    InvoiceForm, InvoiceKind, InvoiceLine, PaymentMode, Totals, TypedTotals, TypedVatLine, VatRate,
    VatRegime,
};
use didact_sim::records::DocumentKind;
use didact_sim::world::{AccessLevel, Espace};
use didact_sim::{Action, FieldError};
use web_sys::Element;

use super::dom::{all, enum_value, first, parse_enum, set, Dom, Field};
use super::{Ctx, Screen, Values};

/// What the invoice form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// « Saisir une facture »: a new invoice or a draft.
    Entry,
    /// « Recycler »: the invoice returned « À recycler ».
    Recycle,
}

const RULE_NUMBER: &str = "Un nombre s’écrit en chiffres, avec une virgule décimale et, au besoin, des espaces entre les milliers (ex. : 1 234,56).";
const RULE_DATE: &str = "Une date s’écrit JJ/MM/AAAA (ex. : 28/02/2025).";
const RULE_SIZE: &str = "La taille d’un fichier est un nombre entier d’octets.";

/// The value of the form's submit button `intent`.
pub const INTENT: &str = "intent";

/// The action of the one-field forms of this screen (PDF deposit, draft deletion).
pub fn action(kind: &str, values: &Values) -> Option<Action> {
    match kind {
        "deposit_pdf" => Some(Action::DepositPdf {
            document: values.get("document"),
            supplier_siret: values.get("supplier_siret"),
        }),
        "delete_invoice_draft" => Some(Action::DeleteInvoiceDraft {
            invoice_id: values.get("invoice_id").parse().unwrap_or(0),
        }),
        _ => None,
    }
}

/// The strings of a form, by control name, as the invoice form draws them.
pub fn form_values(form: &InvoiceForm) -> Values {
    let mut res: VecMap<String, Vec<String>> = VecMap::new();
    let mut put = |name: &str, value: String| {
        res.insert(name.to_owned(), vec![value]);
    };
    put(
        "cadre",
        form.cadre.map(|c| enum_value(&c)).unwrap_or_default(),
    );
    put("valideur_siret", form.valideur_siret.clone());
    put("supplier_siret", form.supplier_siret.clone());
    put("recipient_siret", form.recipient_siret.clone());
    put("service_code", form.service_code.clone());
    put("engagement", form.engagement.clone());
    put("market_number", form.market_number.clone());
    put("kind", enum_value(&form.kind));
    put("number", form.number.clone());
    put("original_number", form.original_number.clone());
    put(
        "invoice_date",
        form.invoice_date
            .map(Date::to_fr_string)
            .unwrap_or_default(),
    );
    put(
        "vat_regime",
        form.vat_regime.map(|v| enum_value(&v)).unwrap_or_default(),
    );
    put("exemption_reason", form.exemption_reason.clone());
    put(
        "payment_mode",
        form.payment_mode
            .map(|v| enum_value(&v))
            .unwrap_or_default(),
    );
    put("bank_account", form.bank_account.clone());
    put("n_lines", form.lines.len().max(1).to_string());
    for (idx, line) in form.lines.iter().enumerate() {
        put(
            &format!("lines[{idx}].description"),
            line.description.clone(),
        );
        put(
            &format!("lines[{idx}].quantity"),
            decimal_fr(&line.quantity.to_string()),
        );
        put(&format!("lines[{idx}].unit"), line.unit.clone());
        put(
            &format!("lines[{idx}].unit_price"),
            decimal_fr(&line.unit_price.to_string()),
        );
        let discount = if line.discount.is_zero() {
            String::new()
        } else {
            line.discount.to_fr_number()
        };
        put(&format!("lines[{idx}].discount"), discount);
        put(
            &format!("lines[{idx}].vat_rate"),
            line.vat_rate.map(|r| enum_value(&r)).unwrap_or_default(),
        );
    }
    let paid = if form.already_paid.is_zero() {
        String::new()
    } else {
        form.already_paid.to_fr_number()
    };
    put("already_paid", paid);
    put("n_attachments", form.attachments.len().to_string());
    for (idx, attachment) in form.attachments.iter().enumerate() {
        put(&format!("attachments[{idx}].name"), attachment.name.clone());
        put(
            &format!("attachments[{idx}].size_bytes"),
            attachment.size_bytes.to_string(),
        );
    }
    put("comment", form.comment.clone());
    Values(res)
}

/// Reads the form strictly: the invoice, and an error for every value that cannot be read.
pub fn read_invoice(values: &Values) -> (InvoiceForm, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut form = InvoiceForm {
        cadre: parse_enum::<Cadre>(values.get("cadre").trim()),
        valideur_siret: values.get("valideur_siret"),
        supplier_siret: values.get("supplier_siret"),
        recipient_siret: values.get("recipient_siret"),
        service_code: values.get("service_code"),
        engagement: values.get("engagement"),
        market_number: values.get("market_number"),
        kind: parse_enum::<InvoiceKind>(&values.get("kind")).unwrap_or_default(),
        number: values.get("number"),
        original_number: values.get("original_number"),
        vat_regime: parse_enum::<VatRegime>(&values.get("vat_regime")),
        exemption_reason: values.get("exemption_reason"),
        payment_mode: parse_enum::<PaymentMode>(&values.get("payment_mode")),
        bank_account: values.get("bank_account"),
        comment: values.get("comment"),
        ..InvoiceForm::default()
    };
    let date = values.get("invoice_date");
    if !date.trim().is_empty() {
        match Date::parse(&date) {
            Ok(date) => form.invoice_date = Some(date),
            Err(error) => errors.push(FieldError::new(
                "invoice_date",
                "date-invalid",
                error.message_fr(),
                RULE_DATE,
            )),
        }
    }
    for idx in 0..count(values, "n_lines", 1) {
        let name = |part: &str| format!("lines[{idx}].{part}");
        let mut line = InvoiceLine {
            description: values.get(&name("description")),
            unit: values.get(&name("unit")),
            vat_rate: parse_enum::<VatRate>(&values.get(&name("vat_rate"))),
            ..InvoiceLine::default()
        };
        match parse_decimal_fr(&values.get(&name("quantity"))) {
            Ok(quantity) => line.quantity = quantity,
            Err(error) => errors.push(number_error(
                &name("quantity"),
                error.code(),
                error.message_fr(),
            )),
        }
        match parse_decimal_fr(&values.get(&name("unit_price"))) {
            Ok(price) => line.unit_price = price,
            Err(error) => errors.push(number_error(
                &name("unit_price"),
                error.code(),
                error.message_fr(),
            )),
        }
        match optional_amount(&values.get(&name("discount"))) {
            Ok(discount) => line.discount = discount,
            Err((code, message)) => errors.push(number_error(&name("discount"), code, message)),
        }
        form.lines.push(line);
    }
    match optional_amount(&values.get("already_paid")) {
        Ok(paid) => form.already_paid = paid,
        Err((code, message)) => errors.push(number_error("already_paid", code, message)),
    }
    let (attachments, attachment_errors) = read_attachments(values);
    form.attachments = attachments;
    errors.extend(attachment_errors);
    (form, errors)
}

/// Reads the attachment rows (`attachments[i].name`, `attachments[i].size_bytes`); a row
/// without a name is left out.
pub fn read_attachments(values: &Values) -> (Vec<Attachment>, Vec<FieldError>) {
    let mut res = Vec::new();
    let mut errors = Vec::new();
    for idx in 0..count(values, "n_attachments", 0) {
        let name = values.get(&format!("attachments[{idx}].name"));
        if name.trim().is_empty() {
            continue;
        }
        let size_field = format!("attachments[{idx}].size_bytes");
        let size_text = values
            .get(&size_field)
            .replace([' ', '\u{a0}', '\u{202f}'], "");
        let size_bytes = if size_text.is_empty() {
            100_000
        } else {
            match size_text.parse::<u64>() {
                Ok(size) => size,
                Err(_) => {
                    errors.push(FieldError::new(
                        size_field,
                        "attachment-size-invalid",
                        "Saisissez la taille du fichier en octets.",
                        RULE_SIZE,
                    ));
                    0
                }
            }
        };
        res.push(Attachment {
            name: name.trim().to_owned(),
            size_bytes,
            password_protected: false,
        });
    }
    (res, errors)
}

/// The amounts typed by hand in « Vérifier mes montants », when at least one was typed.
pub fn read_typed(values: &Values, n_lines: usize) -> Option<(TypedTotals, Vec<FieldError>)> {
    let mut errors = Vec::new();
    let mut any = false;
    let mut read = |name: &str, errors: &mut Vec<FieldError>| -> Option<Amount> {
        let text = values.get(name);
        if text.trim().is_empty() {
            return None;
        }
        any = true;
        match Amount::parse_fr(&text) {
            Ok(amount) => Some(amount),
            Err(error) => {
                errors.push(number_error(name, error.code(), error.message_fr()));
                None
            }
        }
    };
    let lines: Vec<Option<Amount>> = (0..n_lines)
        .map(|idx| read(&format!("lines[{idx}].net"), &mut errors))
        .collect();
    let mut vat_summary = Vec::new();
    for idx in 0..count(values, "n_vat_rows", 0) {
        let rate = parse_enum::<VatRate>(&values.get(&format!("vat_summary[{idx}].rate")));
        let base = read(&format!("vat_summary[{idx}].base"), &mut errors);
        let vat = read(&format!("vat_summary[{idx}].vat"), &mut errors);
        vat_summary.push(TypedVatLine { rate, base, vat });
    }
    let typed = TypedTotals {
        total_ht: read("total_ht", &mut errors),
        total_vat: read("total_vat", &mut errors),
        total_ttc: read("total_ttc", &mut errors),
        net_to_pay: read("net_to_pay", &mut errors),
        lines: if lines.iter().any(Option::is_some) {
            lines
        } else {
            Vec::new()
        },
        vat_summary: if vat_summary
            .iter()
            .any(|row| row.base.is_some() || row.vat.is_some())
        {
            vat_summary
        } else {
            Vec::new()
        },
    };
    any.then_some((typed, errors))
}

/// Errors of the amounts typed by hand: unreadable ones, then `check_typed_totals`.
pub fn typed_errors(form: &InvoiceForm, values: &Values) -> Option<Vec<FieldError>> {
    let (typed, mut errors) = read_typed(values, form.lines.len())?;
    if errors.is_empty() {
        errors = check_typed_totals(form, &typed);
    }
    Some(errors)
}

/// The form read leniently, for the live totals: what cannot be read counts as zero.
pub fn lenient_form(values: &Values) -> InvoiceForm {
    let (mut form, _) = read_invoice(values);
    for (idx, line) in form.lines.iter_mut().enumerate() {
        if parse_decimal_fr(&values.get(&format!("lines[{idx}].quantity"))).is_err() {
            line.quantity = Default::default();
        }
    }
    form
}

/// Updates the computed amounts of the form in place (line HT, récapitulatif TVA, totals).
pub fn live_totals(dom: &Dom, form_element: &Element, values: &Values) {
    let form = lenient_form(values);
    let totals = compute_totals(&form);
    for (idx, net) in totals.lines.iter().enumerate() {
        if let Some(cell) = first(form_element, &format!("[data-line-net=\"{idx}\"]")) {
            cell.set_text_content(Some(&format!(
                "Montant HT de la ligne : {}",
                net.to_fr_string()
            )));
        }
    }
    if let Some(live) = first(form_element, "[data-live-totals]") {
        live.set_text_content(None);
        draw_totals(dom, &live, &totals);
    }
}

/// « Saisir une facture »: the paper documents to type, the directory, and the form.
pub fn render_entry(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Saisir une facture");
    if !ctx.require_login(parent) {
        return;
    }
    let papers: Vec<_> = ctx
        .world
        .documents
        .iter()
        .filter(|d| d.kind == DocumentKind::Paper)
        .collect();
    if !papers.is_empty() && ctx.ui.invoice.is_none() {
        let block = dom.add(parent, "div", "sim-documents");
        dom.add_text(&block, "h4", "", "Factures papier à saisir");
        for document in papers {
            draw_document(ctx, &block, document);
        }
    }
    render_invoice_form(ctx, parent, Purpose::Entry);
}

/// « Déposer une facture »: choose a PDF; the portal reads it and pre-fills a draft.
pub fn render_deposit(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Déposer une facture");
    if !ctx.require_login(parent) {
        return;
    }
    let suppliers = ctx.suppliers();
    if suppliers.is_empty() {
        no_supplier(dom, parent);
        return;
    }
    let pdfs: Vec<(String, String)> = ctx
        .world
        .documents
        .iter()
        .filter(|d| d.kind == DocumentKind::Pdf)
        .map(|d| {
            let label = if d.description.is_empty() {
                d.file.clone()
            } else {
                format!("{} — {}", d.file, d.description)
            };
            (d.id.clone(), label)
        })
        .collect();
    dom.add_text(
        parent,
        "p",
        "sim-note",
        "Choisissez le fichier PDF de votre facture : le portail le lit et pré-remplit le formulaire, que vous vérifiez et complétez avant l’envoi.",
    );
    let form = dom.form(parent, "deposit_pdf", "Fichier de la facture");
    supplier_select(ctx, &form, &suppliers, "");
    let mut options = vec![(String::new(), "— Choisir un fichier —".to_owned())];
    options.extend(pdfs);
    dom.select(
        &form,
        Field::new("document", "Fichier PDF").required(),
        &options,
    );
    dom.submit(&form, "Déposer", "primary");
}

/// The invoice form (new, draft or recycled), drawn from `ctx.ui.entry` or the invoice.
pub fn render_invoice_form(ctx: &Ctx, parent: &Element, purpose: Purpose) {
    let dom = ctx.dom;
    let suppliers = ctx.suppliers();
    if suppliers.is_empty() && purpose == Purpose::Entry {
        no_supplier(dom, parent);
        return;
    }
    let invoice = ctx.ui.invoice.and_then(|id| ctx.world.invoice(id));
    let values = match (&ctx.ui.entry, invoice) {
        (Some(values), _) => values.clone(),
        (None, Some(invoice)) => form_values(&invoice.form),
        (None, None) => {
            let mut values = Values(VecMap::new());
            values
                .0
                .insert("supplier_siret".into(), vec![suppliers[0].clone()]);
            values.0.insert("n_lines".into(), vec!["1".into()]);
            values
        }
    };
    let locked = purpose == Purpose::Recycle;
    let kind = if locked { "recycle_invoice" } else { "invoice" };
    let form = dom.form(
        parent,
        kind,
        match (purpose, invoice) {
            (Purpose::Recycle, _) => "Recycler la facture",
            (_, Some(_)) => "Facture en brouillon",
            _ => "Nouvelle facture",
        },
    );
    if let Some(invoice) = invoice {
        dom.hidden(&form, "invoice_id", &invoice.id.to_string());
    }
    let text = |form: &Element, name: &str, label: &str, help: Option<&str>, required: bool| {
        let mut field = Field::new(name, label).value(&values.get(name));
        if let Some(help) = help {
            field = field.help(help);
        }
        if required {
            field = field.required();
        }
        if locked
            && !matches!(
                name,
                "recipient_siret" | "service_code" | "engagement" | "number"
            )
        {
            field = field.readonly();
        }
        dom.input(form, field)
    };

    // 1. Cadre de facturation.
    let block = section(dom, &form, "Cadre de facturation");
    let supplier = values.get("supplier_siret");
    if locked {
        text(&block, "supplier_siret", "Fournisseur (SIRET)", None, true);
    } else {
        supplier_select(ctx, &block, &suppliers, &supplier);
    }
    let mut cadres: Vec<(String, String)> = vec![(String::new(), "— Choisir un cadre —".into())];
    let offered = ctx.world.cadres_offered(supplier.trim());
    for cadre in &offered {
        cadres.push((
            enum_value(cadre),
            format!("{} — {}", cadre.code(), cadre.label()),
        ));
    }
    let cadre_value = values.get("cadre");
    if !cadre_value.is_empty() && !cadres.iter().any(|(v, _)| *v == cadre_value) {
        cadres.push((cadre_value.clone(), cadre_value.clone()));
    }
    dom.select(
        &block,
        Field::new("cadre", "Cadre de facturation")
            .value(&cadre_value)
            .required()
            .help("Les cadres proposés dépendent du rôle de votre structure dans le marché."),
        &cadres,
    );
    if offered.iter().any(|c| c.needs_valideur()) || !values.get("valideur_siret").is_empty() {
        text(
            &block,
            "valideur_siret",
            "Valideur (SIRET)",
            Some("Pour A9 : le titulaire ; pour A12 : le mandataire."),
            false,
        );
    }

    // 2. Destinataire.
    let block = section(dom, &form, "Destinataire");
    text(
        &block,
        "recipient_siret",
        "SIRET du destinataire",
        Some("Consultez l’annuaire des structures publiques ci-dessous."),
        true,
    );
    text(&block, "service_code", "Code service", None, false);
    text(
        &block,
        "engagement",
        "N° d’engagement (bon de commande)",
        None,
        false,
    );
    text(&block, "market_number", "Numéro de marché", None, false);
    draw_directory(ctx, &block);

    // 3. Références.
    let block = section(dom, &form, "Références de la facture");
    let kinds: Vec<(String, String)> = [InvoiceKind::Facture, InvoiceKind::Avoir]
        .iter()
        .map(|k| (enum_value(k), k.label().to_owned()))
        .collect();
    select_or_locked(
        ctx,
        &block,
        locked,
        Field::new("kind", "Type de facture").value(&values.get("kind")),
        &kinds,
    );
    text(
        &block,
        "number",
        "Numéro de facture",
        Some("Unique pour votre structure ; il est conservé en cas de recyclage."),
        true,
    );
    text(
        &block,
        "original_number",
        "Numéro de la facture d’origine (avoir)",
        None,
        false,
    );
    text(
        &block,
        "invoice_date",
        "Date de facture",
        Some("JJ/MM/AAAA"),
        true,
    );
    let mut regimes = vec![(String::new(), "— Choisir —".to_owned())];
    for regime in [
        VatRegime::TvaSurDebit,
        VatRegime::TvaSurEncaissement,
        VatRegime::Exoneration,
        VatRegime::SansTva,
    ] {
        regimes.push((enum_value(&regime), regime.label().to_owned()));
    }
    select_or_locked(
        ctx,
        &block,
        locked,
        Field::new("vat_regime", "Régime de TVA").value(&values.get("vat_regime")),
        &regimes,
    );
    text(
        &block,
        "exemption_reason",
        "Motif d’exonération",
        Some("Obligatoire en cas d’exonération (ex. : autoliquidation)."),
        false,
    );
    let mut modes = vec![(String::new(), "— Choisir —".to_owned())];
    for mode in [
        PaymentMode::Virement,
        PaymentMode::Cheque,
        PaymentMode::Prelevement,
        PaymentMode::Espece,
        PaymentMode::Autre,
        PaymentMode::Report,
    ] {
        modes.push((enum_value(&mode), mode.label().to_owned()));
    }
    select_or_locked(
        ctx,
        &block,
        locked,
        Field::new("payment_mode", "Mode de paiement").value(&values.get("payment_mode")),
        &modes,
    );
    let mut banks = vec![(String::new(), "— Aucune —".to_owned())];
    if let Some(structure) = ctx.world.structure(supplier.trim()) {
        for bank in &structure.bank_accounts {
            banks.push((
                bank.iban.clone(),
                format!("{} ({})", bank.iban, bank.holder),
            ));
        }
    }
    let bank_value = values.get("bank_account");
    if !bank_value.is_empty() && !banks.iter().any(|(v, _)| *v == bank_value) {
        banks.push((bank_value.clone(), bank_value.clone()));
    }
    select_or_locked(
        ctx,
        &block,
        locked,
        Field::new("bank_account", "Coordonnées bancaires").value(&bank_value),
        &banks,
    );

    // 4. Lignes.
    let block = section(dom, &form, "Lignes de la facture");
    let n_lines = count(&values, "n_lines", 1);
    dom.hidden(&form, "n_lines", &n_lines.to_string());
    let mut rates = vec![(String::new(), "— Taux —".to_owned())];
    for rate in VatRate::ALL {
        rates.push((enum_value(&rate), rate.label().to_owned()));
    }
    for idx in 0..n_lines {
        let line = dom.add(&block, "fieldset", "sim-line");
        set(&line, "data-line", &idx.to_string());
        dom.add_text(&line, "legend", "", &format!("Ligne {}", idx + 1));
        let name = |part: &str| format!("lines[{idx}].{part}");
        text(&line, &name("description"), "Dénomination", None, true);
        text(&line, &name("quantity"), "Quantité", None, true);
        text(&line, &name("unit"), "Unité", None, false);
        text(
            &line,
            &name("unit_price"),
            "Prix unitaire HT (€)",
            None,
            true,
        );
        text(
            &line,
            &name("discount"),
            "Remise HT sur la ligne (€)",
            None,
            false,
        );
        select_or_locked(
            ctx,
            &line,
            locked,
            Field::new(&name("vat_rate"), "Taux de TVA")
                .value(&values.get(&name("vat_rate")))
                .required(),
            &rates,
        );
        let net = dom.add(&line, "p", "sim-line-net");
        set(&net, "data-line-net", &idx.to_string());
        set(&net, "aria-live", "polite");
        if !locked && n_lines > 1 {
            intent_button(
                dom,
                &line,
                &format!("remove_line:{idx}"),
                &format!("Supprimer la ligne {}", idx + 1),
            );
        }
    }
    if !locked {
        intent_button(dom, &block, "add_line", "Ajouter une ligne");
    }

    // 5. Montants.
    let block = section(dom, &form, "Montants");
    text(
        &block,
        "already_paid",
        "Montant déjà payé (€)",
        Some("Acomptes déjà reçus ; une facture A2 est entièrement payée."),
        false,
    );
    let live = dom.add(&block, "div", "sim-live-totals");
    set(&live, "data-live-totals", "");
    set(&live, "aria-live", "polite");

    // 6. Vérifier mes montants (typed by hand).
    if !locked {
        let block = section(dom, &form, "Vérifier mes montants (facultatif)");
        dom.add_text(
            &block,
            "p",
            "sim-help",
            "Recopiez les montants de votre facture : le portail les compare à ses calculs et vous dit quelle ligne ou quel taux est faux.",
        );
        for idx in 0..n_lines {
            text(
                &block,
                &format!("lines[{idx}].net"),
                &format!("Montant HT de la ligne {}", idx + 1),
                None,
                false,
            );
        }
        let used: Vec<VatRate> = VatRate::ALL
            .into_iter()
            .filter(|rate| {
                (0..n_lines)
                    .any(|idx| values.get(&format!("lines[{idx}].vat_rate")) == enum_value(rate))
            })
            .collect();
        dom.hidden(&form, "n_vat_rows", &used.len().to_string());
        for (idx, rate) in used.iter().enumerate() {
            dom.hidden(
                &block,
                &format!("vat_summary[{idx}].rate"),
                &enum_value(rate),
            );
            text(
                &block,
                &format!("vat_summary[{idx}].base"),
                &format!("Base HT au taux de {}", rate.label()),
                None,
                false,
            );
            text(
                &block,
                &format!("vat_summary[{idx}].vat"),
                &format!("TVA au taux de {}", rate.label()),
                None,
                false,
            );
        }
        text(&block, "total_ht", "Total HT", None, false);
        text(&block, "total_vat", "Total TVA", None, false);
        text(&block, "total_ttc", "Total TTC", None, false);
        text(&block, "net_to_pay", "Net à payer", None, false);
        let check = dom.add(&block, "p", "sim-check-result");
        set(&check, "data-totals-check", "");
        set(&check, "role", "status");
        intent_button(dom, &block, "check_totals", "Vérifier mes montants");
    }

    // 7. Pièces jointes et commentaire.
    let block = section(dom, &form, "Pièces jointes");
    let n_attachments = count(&values, "n_attachments", 0);
    dom.hidden(&form, "n_attachments", &n_attachments.to_string());
    for idx in 0..n_attachments {
        let row = dom.add(&block, "div", "sim-attachment");
        let label = if idx == 0 {
            "Pièce jointe principale (nom du fichier)".to_owned()
        } else {
            format!("Pièce jointe {} (nom du fichier)", idx + 1)
        };
        text(
            &row,
            &format!("attachments[{idx}].name"),
            &label,
            None,
            false,
        );
        text(
            &row,
            &format!("attachments[{idx}].size_bytes"),
            "Taille (octets)",
            None,
            false,
        );
    }
    if !locked {
        intent_button(dom, &block, "add_attachment", "Ajouter une pièce jointe");
    }
    let comment = dom.add(&form, "div", "sim-field");
    let id = dom.id("comment");
    let label = dom.add_text(&comment, "label", "", "Commentaire");
    set(&label, "for", &id);
    let area = dom.add(&comment, "textarea", "");
    set(&area, "id", &id);
    set(&area, "name", "comment");
    set(&area, "rows", "2");
    if locked {
        set(&area, "readonly", "");
    }
    area.set_text_content(Some(&values.get("comment")));
    let error = dom.add(&comment, "div", "sim-field-error");
    set(&error, "id", &format!("{id}-error"));
    set(&error, "hidden", "");

    let actions = dom.add(&form, "div", "sim-actions");
    if locked {
        dom.add_text(
            &form,
            "p",
            "sim-help",
            "Seuls le destinataire, le code service et le numéro d’engagement peuvent être corrigés ; la facture garde son numéro.",
        );
        dom.submit(&actions, "Recycler la facture", "primary");
    } else {
        let save = dom.submit(&actions, "Enregistrer", "");
        set(&save, "name", INTENT);
        set(&save, "value", "save");
        let send = dom.submit(&actions, "Valider et envoyer", "primary");
        set(&send, "name", INTENT);
        set(&send, "value", "send");
    }
    live_totals(dom, &form, &values);
}

/// « Ajouter une ligne » and the other buttons that act on the form without submitting it
/// (the form is read as typed, then checked or drawn again). They are not submit buttons, so
/// that the Enter key presses « Enregistrer », the first submit button.
fn intent_button(dom: &Dom, parent: &Element, intent: &str, label: &str) -> Element {
    let button = dom.add_text(parent, "button", "sim-link", label);
    set(&button, "type", "button");
    set(&button, "data-intent", intent);
    set(&button, "name", INTENT);
    set(&button, "value", intent);
    button
}

fn section(dom: &Dom, form: &Element, title: &str) -> Element {
    let block = dom.add(form, "fieldset", "sim-block");
    dom.add_text(&block, "legend", "", title);
    block
}

fn select_or_locked(
    ctx: &Ctx,
    parent: &Element,
    locked: bool,
    field: Field,
    options: &[(String, String)],
) {
    let select = ctx.dom.select(parent, field, options);
    if locked {
        // A select cannot be read-only: the recycled invoice keeps these values anyway.
        set(&select, "aria-readonly", "true");
        set(&select, "data-locked", "");
    }
}

fn supplier_select(ctx: &Ctx, parent: &Element, suppliers: &[String], value: &str) {
    let options: Vec<(String, String)> = suppliers
        .iter()
        .map(|siret| {
            let name = ctx
                .world
                .structure(siret)
                .map(|s| s.raison_sociale.clone())
                .unwrap_or_default();
            (siret.clone(), format!("{name} ({siret})"))
        })
        .collect();
    ctx.dom.select(
        parent,
        Field::new("supplier_siret", "Fournisseur")
            .value(value)
            .required(),
        &options,
    );
}

fn no_supplier(dom: &Dom, parent: &Element) {
    dom.add_text(
        parent,
        "p",
        "sim-note",
        "Vous n’avez accès en modification à l’espace « Factures émises » d’aucune structure.",
    );
    dom.nav_button(parent, "Accueil", Screen::Home.name());
}

/// The récapitulatif TVA and the totals.
pub fn draw_totals(dom: &Dom, parent: &Element, totals: &Totals) {
    if !totals.vat_summary.is_empty() {
        let body = dom.table(
            parent,
            "Récapitulatif TVA",
            &["Taux", "Base HT", "Montant TVA"],
        );
        for row in &totals.vat_summary {
            let tr = dom.row_of(
                &body,
                &[
                    row.rate.label(),
                    &row.base.to_fr_string(),
                    &row.vat.to_fr_string(),
                ],
            );
            set(&tr, "data-vat-rate", &enum_value(&row.rate));
        }
    }
    let list = dom.add(parent, "dl", "sim-totals");
    for (key, label, amount) in [
        ("ht", "Total HT", totals.total_ht),
        ("vat", "Total TVA", totals.total_vat),
        ("ttc", "Total TTC", totals.total_ttc),
        ("paid", "Déjà payé", totals.already_paid),
        ("net", "Net à payer", totals.net_to_pay),
    ] {
        dom.add_text(&list, "dt", "", label);
        let value = dom.add_text(&list, "dd", "", &amount.to_fr_string());
        set(&value, "data-total", key);
    }
}

fn draw_document(ctx: &Ctx, parent: &Element, document: &didact_sim::records::ProvidedDocument) {
    let dom = ctx.dom;
    let card = dom.add(parent, "div", "sim-document");
    set(&card, "data-document", &document.id);
    dom.add_text(
        &card,
        "p",
        "sim-document-name",
        &format!("{} — {}", document.file, document.description),
    );
    let invoice = &document.invoice;
    let mut facts = Vec::new();
    if !invoice.number.is_empty() {
        facts.push(format!("N° {}", invoice.number));
    }
    if let Some(date) = invoice.invoice_date {
        facts.push(format!("du {}", date.to_fr_string()));
    }
    if let Some(recipient) = ctx.world.public_structure(&invoice.recipient_siret) {
        facts.push(format!(
            "pour {} (SIRET {})",
            recipient.name, recipient.siret
        ));
    }
    if !invoice.engagement.is_empty() {
        facts.push(format!("engagement {}", invoice.engagement));
    }
    dom.add_text(&card, "p", "", &facts.join(", "));
    let body = dom.table(
        &card,
        "",
        &[
            "Désignation",
            "Quantité",
            "Prix unitaire HT",
            "Remise HT",
            "TVA",
        ],
    );
    for line in &invoice.lines {
        dom.row_of(
            &body,
            &[
                &line.description,
                &decimal_fr(&line.quantity.to_string()),
                &decimal_fr(&line.unit_price.to_string()),
                &line.discount.to_fr_string(),
                line.vat_rate.map(VatRate::label).unwrap_or("—"),
            ],
        );
    }
    if let Some(printed) = &document.printed {
        let mut amounts = Vec::new();
        for (label, amount) in [
            ("Total HT", printed.total_ht),
            ("TVA", printed.total_vat),
            ("TTC", printed.total_ttc),
            ("Net à payer", printed.net_to_pay),
        ] {
            if let Some(amount) = amount {
                amounts.push(format!("{label} : {}", amount.to_fr_string()));
            }
        }
        if !invoice.already_paid.is_zero() {
            amounts.push(format!(
                "Déjà payé : {}",
                invoice.already_paid.to_fr_string()
            ));
        }
        dom.add_text(&card, "p", "", &amounts.join(" ; "));
    }
}

/// « Annuaire des structures publiques »: recipients, their services and what they require.
fn draw_directory(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    let details = dom.add(parent, "details", "sim-directory");
    dom.add_text(&details, "summary", "", "Annuaire des structures publiques");
    let body = dom.table(
        &details,
        "",
        &["Structure", "SIRET", "Services actifs", "Exige"],
    );
    for public in &ctx.world.directory {
        let services: Vec<&str> = public
            .services
            .iter()
            .filter(|s| s.active)
            .map(|s| s.code.as_str())
            .collect();
        let settings = &public.settings;
        let mut required = Vec::new();
        if settings.service_required {
            required.push("code service");
        }
        if settings.engagement_required {
            required.push("n° d’engagement");
        }
        if settings.engagement_or_service_required {
            required.push("n° d’engagement ou code service");
        }
        let required = if required.is_empty() {
            "—".to_owned()
        } else {
            required.join(", ")
        };
        dom.row_of(
            &body,
            &[&public.name, &public.siret, &services.join(", "), &required],
        );
    }
}

/// Structures whose « Factures émises » the user may fill in.
pub fn suppliers(ctx: &Ctx) -> Vec<String> {
    match ctx.user() {
        Some(user) => ctx.world.structures_with_access(
            user,
            Espace::FacturesEmises,
            AccessLevel::Modification,
        ),
        None => Vec::new(),
    }
}

/// The number of rows declared by a hidden count, capped so a tampered page stays small.
pub fn count(values: &Values, name: &str, default: usize) -> usize {
    values
        .get(name)
        .trim()
        .parse::<usize>()
        .unwrap_or(default)
        .min(50)
}

/// Values with a row added (`n_lines`, `n_attachments`) or a line removed.
pub fn edit_rows(values: &Values, intent: &str) -> Values {
    let mut res = values.0.clone();
    match intent {
        "add_line" => {
            let n = count(values, "n_lines", 1) + 1;
            res.insert("n_lines".into(), vec![n.to_string()]);
        }
        "add_attachment" => {
            let n = count(values, "n_attachments", 0) + 1;
            res.insert("n_attachments".into(), vec![n.to_string()]);
        }
        _ => {
            if let Some(removed) = intent
                .strip_prefix("remove_line:")
                .and_then(|n| n.parse::<usize>().ok())
            {
                let n = count(values, "n_lines", 1);
                for idx in removed..n.saturating_sub(1) {
                    for part in [
                        "description",
                        "quantity",
                        "unit",
                        "unit_price",
                        "discount",
                        "vat_rate",
                        "net",
                    ] {
                        let next = values.get(&format!("lines[{}].{part}", idx + 1));
                        res.insert(format!("lines[{idx}].{part}"), vec![next]);
                    }
                }
                res.insert(
                    "n_lines".into(),
                    vec![n.saturating_sub(1).max(1).to_string()],
                );
            }
        }
    }
    Values(res)
}

/// Focus target after redrawing for `intent`.
pub fn focus_after(form: &Element, intent: &str) -> Option<Element> {
    let selector = match intent {
        "add_line" => "[data-line]:last-of-type [name$=\".description\"]".to_owned(),
        "add_attachment" => ".sim-attachment:last-of-type input".to_owned(),
        _ => "[name=\"lines[0].description\"]".to_owned(),
    };
    first(form, &selector).or_else(|| all(form, "input").into_iter().next())
}

fn number_error(field: &str, code: &'static str, message: String) -> FieldError {
    FieldError::new(field, code, message, RULE_NUMBER)
}

fn optional_amount(text: &str) -> Result<Amount, (&'static str, String)> {
    if text.trim().is_empty() {
        return Ok(Amount::ZERO);
    }
    Amount::parse_fr(text).map_err(|error| (error.code(), error.message_fr()))
}

/// `257.20` → `257,20`.
fn decimal_fr(text: &str) -> String {
    text.replace('.', ",")
}
