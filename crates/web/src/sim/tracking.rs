//! « Suivi des factures » (search and filters), the invoice page with its history and what a
//! returned invoice needs (recycle, complete, acknowledge), the certificat de dépôt,
//! « Factures à valider », and the acknowledgement pop-up.

use didact_sim::invoice::{Acknowledgement, Cadre, Date, Status};
use didact_sim::records::{Invoice, InvoiceFilter};
use didact_sim::{Action, FieldError};
use web_sys::Element;

use super::dom::{enum_value, parse_enum, set, Field};
use super::invoice::{read_attachments, render_invoice_form, Purpose};
use super::{Ctx, Screen, Values};

/// Statuses offered in the filter of « Suivi ».
const FILTER_STATUSES: [Status; 12] = [
    Status::Brouillon,
    Status::EnCoursAcheminement,
    Status::MiseADisposition,
    Status::ARecycler,
    Status::Suspendue,
    Status::Completee,
    Status::Rejetee,
    Status::ServiceFait,
    Status::MiseEnPaiement,
    Status::AValider1,
    Status::Validee1,
    Status::Refusee1,
];

/// The action of a tracking form; a value that cannot be read is an error on its field.
pub fn action(kind: &str, values: &Values) -> Option<Result<Action, Vec<FieldError>>> {
    let invoice_id = values.get("invoice_id").parse().unwrap_or(0);
    Some(Ok(match kind {
        "acknowledge_invoice" => Action::AcknowledgeInvoice { invoice_id },
        "validate_invoice" => Action::ValidateInvoice {
            invoice_id,
            comment: values.get("commentaire"),
        },
        "refuse_invoice" => Action::RefuseInvoice {
            invoice_id,
            reason: values.get("motif"),
        },
        "complete_invoice" => {
            let (attachments, errors) = read_attachments(values);
            if !errors.is_empty() {
                return Some(Err(errors));
            }
            Action::CompleteInvoice {
                invoice_id,
                attachments,
            }
        }
        "advance_days" => Action::AdvanceDays {
            days: values.get("days").trim().parse().unwrap_or(1),
        },
        "advance_to_next_event" => Action::AdvanceToNextEvent,
        _ => return None,
    }))
}

/// Reads the search form of « Suivi ».
pub fn read_filter(values: &Values) -> InvoiceFilter {
    InvoiceFilter {
        text: values.get("recherche"),
        status: parse_enum::<Status>(&values.get("statut")),
        cadre: parse_enum::<Cadre>(&values.get("cadre")),
        from: Date::parse(&values.get("du")).ok(),
        to: Date::parse(&values.get("au")).ok(),
        ..InvoiceFilter::default()
    }
}

/// « Suivi des factures ».
pub fn render_list(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Suivi des factures");
    let Some(user) = ctx.user() else {
        ctx.require_login(parent);
        return;
    };
    let filter = &ctx.ui.filter;
    let form = dom.form(parent, "search_invoices", "Rechercher");
    set(&form, "class", "sim-form sim-filters");
    dom.input(
        &form,
        Field::new("recherche", "Numéro, destinataire ou engagement").value(&filter.text),
    );
    let mut statuses = vec![(String::new(), "Tous".to_owned())];
    statuses.extend(
        FILTER_STATUSES
            .iter()
            .map(|s| (enum_value(s), s.label().to_owned())),
    );
    dom.select(
        &form,
        Field::new("statut", "Statut")
            .value(&filter.status.map(|s| enum_value(&s)).unwrap_or_default()),
        &statuses,
    );
    let mut cadres = vec![(String::new(), "Tous".to_owned())];
    cadres.extend(
        [Cadre::A1, Cadre::A2, Cadre::A9, Cadre::A12]
            .iter()
            .map(|c| (enum_value(c), c.code().to_owned())),
    );
    dom.select(
        &form,
        Field::new("cadre", "Cadre")
            .value(&filter.cadre.map(|c| enum_value(&c)).unwrap_or_default()),
        &cadres,
    );
    dom.input(
        &form,
        Field::new("du", "Date de facture, du")
            .value(&filter.from.map(Date::to_fr_string).unwrap_or_default()),
    );
    dom.input(
        &form,
        Field::new("au", "au").value(&filter.to.map(Date::to_fr_string).unwrap_or_default()),
    );
    dom.submit(&form, "Rechercher", "");

    let invoices = ctx.world.search_invoices(user, filter);
    let results = dom.add(parent, "div", "sim-results");
    set(&results, "data-results", "");
    set(&results, "tabindex", "-1");
    if invoices.is_empty() {
        dom.add_text(&results, "p", "sim-note", "Aucune facture ne correspond.");
        return;
    }
    let body = dom.table(
        &results,
        &format!("{} facture(s)", invoices.len()),
        &[
            "Numéro",
            "Cadre",
            "Destinataire",
            "Date",
            "Montant TTC",
            "Statut",
            "",
        ],
    );
    for invoice in invoices {
        let form = &invoice.form;
        let row = dom.row_of(
            &body,
            &[
                &form.number,
                &form.cadre.map(|c| c.code().to_owned()).unwrap_or_default(),
                &recipient_name(ctx, invoice),
                &form
                    .invoice_date
                    .map(Date::to_fr_string)
                    .unwrap_or_default(),
                &invoice.totals().total_ttc.to_fr_string(),
                invoice.tracking.status.label(),
            ],
        );
        set(&row, "data-invoice-row", &form.number);
        let cell = dom.add(&row, "td", "");
        open_button(ctx, &cell, "Consulter", Screen::InvoiceDetail, invoice.id);
    }
}

/// The invoice page: its data, status, history, and the action its status calls for.
pub fn render_detail(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    let Some(invoice) = ctx.ui.invoice.and_then(|id| ctx.world.invoice(id)) else {
        dom.title(parent, "Facture");
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "Choisissez une facture dans le suivi.",
        );
        dom.nav_button(parent, "Suivi des factures", Screen::Invoices.name());
        return;
    };
    let form = &invoice.form;
    dom.title(parent, &format!("{} n° {}", form.kind.label(), form.number));
    let status = dom.add_text(
        parent,
        "p",
        "sim-status",
        &format!("Statut : {}", invoice.tracking.status.label()),
    );
    set(
        &status,
        "data-invoice-status",
        &enum_value(&invoice.tracking.status),
    );
    let totals = invoice.totals();
    let list = dom.add(parent, "dl", "sim-summary");
    for (label, value) in [
        (
            "Cadre",
            form.cadre
                .map(|c| format!("{} — {}", c.code(), c.label()))
                .unwrap_or_default(),
        ),
        ("Fournisseur", form.supplier_siret.clone()),
        (
            "Destinataire",
            format!(
                "{} ({})",
                recipient_name(ctx, invoice),
                form.recipient_siret
            ),
        ),
        ("Code service", form.service_code.clone()),
        ("N° d’engagement", form.engagement.clone()),
        ("Valideur", form.valideur_siret.clone()),
        ("Facture d’origine", form.original_number.clone()),
        (
            "Date de facture",
            form.invoice_date
                .map(Date::to_fr_string)
                .unwrap_or_default(),
        ),
        ("Total HT", totals.total_ht.to_fr_string()),
        ("Total TVA", totals.total_vat.to_fr_string()),
        ("Total TTC", totals.total_ttc.to_fr_string()),
        ("Net à payer", totals.net_to_pay.to_fr_string()),
        (
            "Pièces jointes",
            form.attachments
                .iter()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ] {
        if value.trim().is_empty() {
            continue;
        }
        dom.add_text(&list, "dt", "", label);
        dom.add_text(&list, "dd", "", &value);
    }
    let actions = dom.add(parent, "div", "sim-actions");
    if invoice.certificate.is_some() {
        open_button(
            ctx,
            &actions,
            "Voir le certificat de dépôt",
            Screen::Certificate,
            invoice.id,
        );
    }
    let id = invoice.id.to_string();
    match invoice.tracking.status {
        Status::Brouillon => {
            open_button(
                ctx,
                &actions,
                "Modifier le brouillon",
                Screen::InvoiceEntry,
                invoice.id,
            );
            dom.button_form(
                &actions,
                "delete_invoice_draft",
                "Supprimer le brouillon",
                &[("invoice_id", &id)],
            );
        }
        Status::ARecycler => {
            dom.add_text(
                parent,
                "p",
                "sim-note",
                "Le destinataire a retourné la facture « À recycler » : corrigez ses données d’acheminement et renvoyez-la sous le même numéro.",
            );
            render_invoice_form(ctx, parent, Purpose::Recycle);
        }
        Status::Suspendue => {
            let form = dom.form(parent, "complete_invoice", "Compléter la facture");
            dom.hidden(&form, "invoice_id", &id);
            dom.hidden(&form, "n_attachments", "1");
            dom.input(
                &form,
                Field::new("attachments[0].name", "Pièce jointe (nom du fichier)").required(),
            );
            dom.input(
                &form,
                Field::new("attachments[0].size_bytes", "Taille (octets)").value("100000"),
            );
            dom.submit(&form, "Compléter la facture", "primary");
        }
        _ => {}
    }
    if invoice.tracking.acknowledgement(ctx.world.today()) != Acknowledgement::NotNeeded {
        dom.button_form(
            &actions,
            "acknowledge_invoice",
            "Acquitter",
            &[("invoice_id", &id)],
        );
    }
    let body = dom.table(
        parent,
        "Historique des statuts",
        &["Date", "Statut", "Motif ou commentaire"],
    );
    for entry in &invoice.tracking.history {
        dom.row_of(
            &body,
            &[
                &entry.at.to_fr_string(),
                entry.status.label(),
                &entry.comment,
            ],
        );
    }
    dom.nav_button(parent, "Retour au suivi", Screen::Invoices.name());
}

/// The certificat de dépôt of the invoice shown.
pub fn render_certificate(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Certificat de dépôt");
    let Some(invoice) = ctx.ui.invoice.and_then(|id| ctx.world.invoice(id)) else {
        dom.nav_button(parent, "Suivi des factures", Screen::Invoices.name());
        return;
    };
    let Some(certificate) = &invoice.certificate else {
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "Cette facture n’a pas encore été envoyée.",
        );
        return;
    };
    let card = dom.add(parent, "div", "sim-certificate");
    set(&card, "data-certificate", "");
    dom.add_text(
        &card,
        "p",
        "sim-note",
        "Document simulé : la présentation et la numérotation sont celles du simulateur.",
    );
    let list = dom.add(&card, "dl", "sim-summary");
    for (label, value) in [
        ("N° de dépôt", certificate.deposit_number.clone()),
        ("N° de facture", certificate.invoice_number.clone()),
        ("Type", certificate.kind.label().to_owned()),
        (
            "Cadre de facturation",
            format!(
                "{} — {}",
                certificate.cadre.code(),
                certificate.cadre.label()
            ),
        ),
        (
            "Fournisseur",
            format!(
                "{} ({})",
                certificate.supplier_name, certificate.supplier_siret
            ),
        ),
        (
            "Destinataire",
            format!(
                "{} ({})",
                certificate.recipient_name, certificate.recipient_siret
            ),
        ),
        ("Code service", certificate.service_code.clone()),
        ("N° d’engagement", certificate.engagement.clone()),
        ("Déposée le", certificate.deposited_on.to_fr_string()),
        ("Par", certificate.depositor.clone()),
        ("Total HT", certificate.total_ht.to_fr_string()),
        ("Total TVA", certificate.total_vat.to_fr_string()),
        ("Total TTC", certificate.total_ttc.to_fr_string()),
        ("Net à payer", certificate.net_to_pay.to_fr_string()),
        (
            "Délai global de paiement",
            format!("{} jours", certificate.payment_days),
        ),
        (
            "Échéance indicative",
            certificate.payment_due.to_fr_string(),
        ),
    ] {
        if value.trim().is_empty() {
            continue;
        }
        dom.add_text(&list, "dt", "", label);
        dom.add_text(&list, "dd", "", &value);
    }
    dom.add_text(
        &card,
        "p",
        "sim-help",
        "La date de dépôt fait foi et fait courir le délai de paiement ; Chorus Pro ne gère pas ce délai.",
    );
    open_button(
        ctx,
        parent,
        "Retour à la facture",
        Screen::InvoiceDetail,
        invoice.id,
    );
}

/// « Factures à valider »: A9/A12 invoices waiting for the user's structure.
pub fn render_to_validate(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Factures à valider");
    let Some(user) = ctx.user() else {
        ctx.require_login(parent);
        return;
    };
    let invoices = ctx.world.invoices_to_validate(user);
    if invoices.is_empty() {
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "Aucune facture n’attend votre validation.",
        );
    }
    dom.add_text(
        parent,
        "p",
        "sim-help",
        "Sans réponse dans les 15 jours, la facture est validée tacitement.",
    );
    for invoice in invoices {
        let form = &invoice.form;
        let card = dom.add(parent, "div", "sim-card");
        set(&card, "data-invoice-row", &form.number);
        let supplier = ctx
            .world
            .structure(&form.supplier_siret)
            .map(|s| s.raison_sociale.clone())
            .unwrap_or_else(|| form.supplier_siret.clone());
        dom.add_text(
            &card,
            "h4",
            "",
            &format!(
                "{} n° {} de {} — {}",
                form.cadre.map(|c| c.code()).unwrap_or(""),
                form.number,
                supplier,
                invoice.totals().total_ttc.to_fr_string()
            ),
        );
        dom.add_text(
            &card,
            "p",
            "",
            &format!(
                "Destinataire final : {} ; reçue le {}",
                recipient_name(ctx, invoice),
                invoice.tracking.since.to_fr_string()
            ),
        );
        let id = invoice.id.to_string();
        let form = dom.form(&card, "validate_invoice", "");
        set(&form, "class", "sim-form sim-inline");
        dom.hidden(&form, "invoice_id", &id);
        dom.input(&form, Field::new("commentaire", "Commentaire"));
        dom.submit(&form, "Valider", "primary");
        let form = dom.form(&card, "refuse_invoice", "");
        set(&form, "class", "sim-form sim-inline");
        dom.hidden(&form, "invoice_id", &id);
        dom.input(&form, Field::new("motif", "Motif du refus"));
        dom.submit(&form, "Refuser", "");
    }
}

/// The pop-up of rejected or suspended invoices to acknowledge (reference 3.3 b): it may be
/// closed for now, except after 7 days.
pub fn render_acknowledgements(ctx: &Ctx, parent: &Element) {
    let Some(user) = ctx.user() else {
        return;
    };
    let due = ctx.world.acknowledgements_due(user);
    let mandatory = due
        .iter()
        .any(|(_, ack)| *ack == Acknowledgement::Mandatory);
    if due.is_empty() || (ctx.ui.acknowledgements_closed && !mandatory) {
        return;
    }
    let dom = ctx.dom;
    let dialog = dom.add(parent, "div", "sim-dialog");
    set(&dialog, "role", "alertdialog");
    set(&dialog, "data-acknowledgements", "");
    let title_id = dom.id("ack-title");
    set(&dialog, "aria-labelledby", &title_id);
    let title = dom.add_text(&dialog, "h4", "", "Factures rejetées ou suspendues");
    set(&title, "id", &title_id);
    dom.add_text(
        &dialog,
        "p",
        "",
        "Acquittez chaque rejet ou suspension ; après 7 jours, l’acquittement est obligatoire pour continuer.",
    );
    for (invoice, _) in &due {
        let line = dom.add(&dialog, "div", "sim-ack");
        let reason = invoice
            .tracking
            .history
            .last()
            .map(|h| h.comment.clone())
            .unwrap_or_default();
        dom.add_text(
            &line,
            "p",
            "",
            &format!(
                "Facture n° {} : {} — {}",
                invoice.form.number,
                invoice.tracking.status.label(),
                reason
            ),
        );
        dom.button_form(
            &line,
            "acknowledge_invoice",
            &format!("Acquitter la facture {}", invoice.form.number),
            &[("invoice_id", &invoice.id.to_string())],
        );
    }
    if !mandatory {
        let close = dom.add_text(&dialog, "button", "sim-link", "Plus tard");
        set(&close, "type", "button");
        set(&close, "data-action", "close_acknowledgements");
    }
}

/// The clock buttons of the invoice screens.
pub fn render_clock_buttons(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    let box_ = dom.add(parent, "div", "sim-clock-buttons");
    dom.add_text(
        &box_,
        "span",
        "sim-today",
        &format!("Date simulée : {}", ctx.world.today().to_fr_string()),
    );
    dom.button_form(&box_, "advance_days", "Avancer d’un jour", &[("days", "1")]);
    dom.button_form(
        &box_,
        "advance_to_next_event",
        "Jusqu’au prochain événement",
        &[],
    );
}

fn open_button(ctx: &Ctx, parent: &Element, label: &str, screen: Screen, invoice_id: u64) {
    let button = ctx.dom.nav_button(parent, label, screen.name());
    set(&button, "data-invoice", &invoice_id.to_string());
}

fn recipient_name(ctx: &Ctx, invoice: &Invoice) -> String {
    ctx.world
        .public_structure(&invoice.form.recipient_siret)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| invoice.form.recipient_siret.clone())
}
