//! The invoice part of a scenario (part 2): roles, provided documents, recipient behaviour,
//! existing invoices and works dossiers; how they are checked and how they enter the world.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{check_siret, duplicate, problem, Problem, Scenario};
use crate::invoice::{
    check_attachment, compute_totals, validate_entry, Amount, BillingDossier, Cadre, Date,
    HistoryEntry, InvoiceForm, Status, Tracking, TypedTotals, ValidationContext, VatRate,
    WorksDeposit,
};
use crate::records::{
    build_certificate, to_recipient, EntryMode, Invoice, RecipientAction, RecipientStep,
    WorksDossier, WorksRole,
};
use crate::validate;
use crate::world::{PublicStructure, World};

/// An invoice that exists when the exercise starts.
///
/// Its history is made up from `status`: for a returned invoice, Brouillon → Déposée →
/// En cours d'acheminement → Mise à disposition → `status`, all on `since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInvoice {
    /// The invoice (supplier, recipient, number, lines…).
    pub form: InvoiceForm,
    /// Current status (`MISE_A_DISPOSITION` when omitted): `BROUILLON`, `A_RECYCLER`,
    /// `SUSPENDUE`, `REJETEE`, `A_VALIDER_1`…
    #[serde(default = "default_status")]
    pub status: Status,
    /// Reason given by the recipient (or the valideur) for the current status.
    #[serde(default)]
    pub reason: String,
    /// Day the current status was entered; the scenario's start date when omitted.
    #[serde(default)]
    pub since: Option<Date>,
    /// Login of the user who created it; the supplier's gestionnaire principal when omitted.
    #[serde(default)]
    pub created_by: String,
    /// Behaviour of the recipient for this invoice, instead of the directory's.
    #[serde(default)]
    pub behaviour: Option<Vec<RecipientStep>>,
}

/// A works contract and its dossier de facturation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioWorks {
    /// Name of the contract.
    pub name: String,
    /// SIRET of the titulaire.
    pub titulaire: String,
    /// SIRET of the MOE; none when the contract has no maîtrise d'œuvre.
    #[serde(default)]
    pub moe: Option<String>,
    /// SIRET of the MOA.
    pub moa: String,
    /// SIRET of the service financier; the MOA when omitted.
    #[serde(default)]
    pub payer: Option<String>,
    /// Actors the learner may play (`titulaire`, `moe`, `moa`); titulaire when omitted.
    #[serde(default)]
    pub learner_roles: Vec<WorksRole>,
    /// Days the scenario's MOE takes to deposit its état d'acompte (3 when omitted, at most 7).
    #[serde(default = "default_works_days")]
    pub moe_days: u32,
    /// Days the scenario's MOA takes to deposit its état d'acompte validé, or to notify the
    /// décompte général (3 when omitted).
    #[serde(default = "default_works_days")]
    pub moa_days: u32,
    /// The scenario's MOA never notifies a décompte général, so that the titulaire must take
    /// the tacit route (A22 → A23); ignored when the learner plays the MOA.
    #[serde(default)]
    pub moa_silent: bool,
    /// Pieces already deposited by the titulaire (A4, or A5 without MOE; A7 at the end of the
    /// contract).
    #[serde(default)]
    pub pieces: Vec<ScenarioWorksPiece>,
}

/// A works piece deposited before the exercise starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioWorksPiece {
    /// A4 (or A5 without MOE), or A7 (projet de décompte final).
    pub cadre: Cadre,
    /// Number.
    pub number: String,
    /// Amount HT claimed, as a decimal string (`"7557.20"`).
    pub amount_ht: Amount,
    /// VAT rate (`"10"`, `"20"`…).
    pub vat_rate: VatRate,
    /// Deposit day; the scenario's start date when omitted.
    #[serde(default)]
    pub since: Option<Date>,
}

/// Reports the mistakes of the invoice part of a scenario.
pub(super) fn check(scenario: &Scenario, res: &mut Vec<Problem>) {
    let start = start_day(scenario);
    let known_structure = |siret: &str| {
        scenario.structures.iter().any(|s| s.siret == siret)
            || scenario.register.iter().any(|e| e.siret == siret)
    };

    for siret in scenario.roles.keys() {
        let path = format!("roles.{siret}");
        check_siret(res, siret, &path);
        if !known_structure(siret) {
            res.push(problem(
                "scenario-unknown-structure",
                format!("roles name `{siret}`, which is neither a structure nor in the register"),
                path,
                Some("add the structure under `structures:` or `register:`"),
            ));
        }
    }

    for (idx, public) in scenario.directory.iter().enumerate() {
        check_steps(
            res,
            &public.behaviour,
            Some(public),
            &format!("directory[{idx}].behaviour"),
        );
    }

    let mut ids = BTreeSet::new();
    for (idx, document) in scenario.documents.iter().enumerate() {
        let path = format!("documents[{idx}]");
        if document.id.trim().is_empty() {
            res.push(problem(
                "scenario-missing-id",
                "a document needs an `id`",
                format!("{path}.id"),
                None,
            ));
        } else if !ids.insert(document.id.as_str()) {
            res.push(duplicate(
                "scenario-duplicate-document",
                &document.id,
                &format!("{path}.id"),
            ));
        }
        for error in check_attachment("file", &document.attachment()) {
            res.push(problem(
                "scenario-invalid-attachment",
                format!("invalid file `{}`: {}", document.file, error.code),
                format!("{path}.file"),
                Some(&error.message),
            ));
        }
        check_form_refs(scenario, res, &document.invoice, &format!("{path}.invoice"));
        check_printed(res, &document.invoice, document.printed.as_ref(), &path);
    }

    let mut numbers = BTreeSet::new();
    for (idx, invoice) in scenario.invoices.iter().enumerate() {
        let path = format!("invoices[{idx}]");
        let form = &invoice.form;
        if !scenario
            .structures
            .iter()
            .any(|s| s.siret == form.supplier_siret)
        {
            res.push(problem(
                "scenario-unknown-structure",
                format!("no structure `{}` in the scenario", form.supplier_siret),
                format!("{path}.form.supplier_siret"),
                Some("an existing invoice belongs to a structure listed under `structures:`"),
            ));
        }
        let number_key = (
            form.supplier_siret.trim(),
            form.number.trim().to_lowercase(),
        );
        if !form.number.trim().is_empty() && !numbers.insert(number_key) {
            res.push(duplicate(
                "scenario-duplicate-invoice-number",
                &form.number,
                &format!("{path}.form.number"),
            ));
        }
        let needs_valideur = form.cadre.is_some_and(Cadre::needs_valideur);
        if !status_allowed(invoice.status, needs_valideur) {
            res.push(problem(
                "scenario-invalid-invoice-status",
                format!("an existing invoice cannot start as `{:?}`", invoice.status),
                format!("{path}.status"),
                Some("use BROUILLON, MISE_A_DISPOSITION, A_RECYCLER, SUSPENDUE, COMPLETEE, REJETEE, a processing status, or A_VALIDER_1 / REFUSEE_1 for A9 and A12"),
            ));
        }
        if needs_valideur
            && !form.valideur_siret.trim().is_empty()
            && !scenario
                .structures
                .iter()
                .any(|s| s.siret == form.valideur_siret.trim())
        {
            res.push(problem(
                "scenario-unknown-structure",
                format!(
                    "no valideur structure `{}` in the scenario",
                    form.valideur_siret
                ),
                format!("{path}.form.valideur_siret"),
                Some("the titulaire (A9) or mandataire (A12) must be a structure of the scenario"),
            ));
        }
        if !invoice.created_by.trim().is_empty()
            && !scenario
                .accounts
                .iter()
                .any(|a| a.email.eq_ignore_ascii_case(invoice.created_by.trim()))
        {
            res.push(problem(
                "scenario-unknown-account",
                format!("no account `{}` in the scenario", invoice.created_by),
                format!("{path}.created_by"),
                Some("add it under `accounts:`"),
            ));
        }
        let public = scenario
            .directory
            .iter()
            .find(|p| p.siret == form.recipient_siret.trim());
        if let Some(steps) = &invoice.behaviour {
            check_steps(res, steps, public, &format!("{path}.behaviour"));
        }
        if invoice.status != Status::Brouillon {
            check_sent_form(
                scenario,
                res,
                invoice,
                invoice.since.unwrap_or(start),
                &path,
            );
        }
    }

    for (idx, works) in scenario.works.iter().enumerate() {
        check_works(scenario, res, works, start, &format!("works[{idx}]"));
    }
}

/// Adds the invoice part of a scenario to its starting world.
pub(super) fn build(scenario: &Scenario, world: &mut World) {
    world.roles = scenario.roles.clone();
    world.documents = scenario.documents.clone();
    if let Some(helpdesk) = &scenario.helpdesk {
        world.helpdesk = helpdesk.clone();
    }
    let start = world.start_day();
    for invoice in &scenario.invoices {
        let since = invoice.since.unwrap_or(start);
        let id = world.next_id;
        world.next_id += 1;
        let created_by = if invoice.created_by.trim().is_empty() {
            world
                .structure(&invoice.form.supplier_siret)
                .map(|s| s.gestionnaire_principal.clone())
                .unwrap_or_default()
        } else {
            invoice.created_by.trim().to_owned()
        };
        let needs_valideur = invoice.form.cadre.is_some_and(Cadre::needs_valideur);
        let tracking = made_up_tracking(invoice.status, needs_valideur, since, &invoice.reason);
        let certificate = (invoice.status != Status::Brouillon)
            .then(|| build_certificate(world, &invoice.form, id, since, &created_by));
        world.invoices.push(Invoice {
            id,
            form: invoice.form.clone(),
            mode: EntryMode::Saisie,
            document: None,
            created_by,
            tracking,
            certificate,
            next_step: 0,
            behaviour: invoice.behaviour.clone(),
            acknowledged_on: None,
        });
    }
    for works in &scenario.works {
        let id = world.next_id;
        world.next_id += 1;
        let mut dossier = BillingDossier {
            titulaire_siret: works.titulaire.clone(),
            moe_siret: works.moe.clone(),
            moa_siret: works.moa.clone(),
            payer_siret: works.payer.clone().unwrap_or_else(|| works.moa.clone()),
            pieces: Vec::new(),
        };
        for piece in &works.pieces {
            // A faulty piece is reported by `check`; the world simply leaves it out.
            let _ = dossier.deposit_initial(piece.cadre, works_deposit(works, piece, start));
        }
        let learner_roles = if works.learner_roles.is_empty() {
            vec![WorksRole::Titulaire]
        } else {
            works.learner_roles.clone()
        };
        world.works.push(WorksDossier {
            id,
            name: works.name.clone(),
            dossier,
            current_role: learner_roles.first().copied(),
            learner_roles,
            moe_days: works.moe_days,
            moa_days: works.moa_days,
            moa_silent: works.moa_silent,
        });
    }
}

/// The scenario's start date.
pub(crate) fn start_day(scenario: &Scenario) -> Date {
    scenario
        .start_date
        .as_deref()
        .and_then(|d| Date::parse(d).ok())
        .unwrap_or_else(|| Date::from_ymd(2025, 3, 3).expect("2025-03-03 exists"))
}

fn works_deposit(works: &ScenarioWorks, piece: &ScenarioWorksPiece, start: Date) -> WorksDeposit {
    WorksDeposit {
        number: piece.number.clone(),
        depositor_siret: works.titulaire.clone(),
        amount_ht: piece.amount_ht,
        vat_rate: piece.vat_rate,
        today: piece.since.unwrap_or(start),
    }
}

fn check_works(
    scenario: &Scenario,
    res: &mut Vec<Problem>,
    works: &ScenarioWorks,
    start: Date,
    path: &str,
) {
    let known = |siret: &str| {
        scenario.structures.iter().any(|s| s.siret == siret)
            || scenario.register.iter().any(|e| e.siret == siret)
            || scenario.directory.iter().any(|p| p.siret == siret)
    };
    let mut parties = vec![
        ("titulaire", works.titulaire.as_str()),
        ("moa", works.moa.as_str()),
    ];
    if let Some(moe) = &works.moe {
        parties.push(("moe", moe));
    }
    if let Some(payer) = &works.payer {
        parties.push(("payer", payer));
    }
    for (field, siret) in parties {
        let field_path = format!("{path}.{field}");
        check_siret(res, siret, &field_path);
        if validate::siret("", siret).is_ok() && !known(siret) {
            res.push(problem(
                "scenario-unknown-structure",
                format!(
                    "`{siret}` is neither a structure, a register entry nor a public structure"
                ),
                field_path,
                Some("every actor of a works contract needs its own structure"),
            ));
        }
    }
    if works.moe.is_none() && works.learner_roles.contains(&WorksRole::Moe) {
        res.push(problem(
            "scenario-works-no-moe",
            "the learner plays the MOE of a contract without MOE",
            format!("{path}.learner_roles"),
            Some("add `moe:` or remove `moe` from `learner_roles`"),
        ));
    }
    if works.moe_days > 7 {
        res.push(problem(
            "scenario-works-moe-days",
            format!(
                "the MOE takes {} days, more than the 7 days it has",
                works.moe_days
            ),
            format!("{path}.moe_days"),
            Some("the MOE has 7 days to process a projet de décompte mensuel (chorus-pro.md 6.3)"),
        ));
    }
    let mut dossier = BillingDossier {
        titulaire_siret: works.titulaire.clone(),
        moe_siret: works.moe.clone(),
        moa_siret: works.moa.clone(),
        payer_siret: works.moa.clone(),
        pieces: Vec::new(),
    };
    let mut numbers = BTreeSet::new();
    for (idx, piece) in works.pieces.iter().enumerate() {
        let piece_path = format!("{path}.pieces[{idx}]");
        if !numbers.insert(piece.number.trim().to_lowercase()) {
            res.push(duplicate(
                "scenario-duplicate-piece-number",
                &piece.number,
                &format!("{piece_path}.number"),
            ));
        }
        if piece.amount_ht.is_negative() || piece.amount_ht.decimals() > 2 {
            res.push(problem(
                "scenario-invalid-amount",
                format!("invalid amount {}", piece.amount_ht.value()),
                format!("{piece_path}.amount_ht"),
                Some("an amount is positive with at most two decimals"),
            ));
        }
        if let Err(error) = dossier.deposit_initial(piece.cadre, works_deposit(works, piece, start))
        {
            res.push(problem(
                "scenario-invalid-works-piece",
                format!("this piece cannot be deposited: {}", error.message_fr()),
                format!("{piece_path}.cadre"),
                Some("the titulaire deposits A4 (or A7 at the end of the contract) when the contract has a MOE, A5 otherwise"),
            ));
        }
    }
}

fn check_steps(
    res: &mut Vec<Problem>,
    steps: &[RecipientStep],
    public: Option<&PublicStructure>,
    path: &str,
) {
    for (idx, step) in steps.iter().enumerate() {
        let step_path = format!("{path}[{idx}]");
        if step.action.needs_reason() && step.reason.trim().is_empty() {
            res.push(problem(
                "scenario-missing-reason",
                format!("a `{:?}` step needs a reason", step.action).to_lowercase(),
                format!("{step_path}.reason"),
                Some("a suspension or a rejection always carries a reason shown to the supplier"),
            ));
        }
        if step.action == RecipientAction::MiseEnPaiement
            && public.is_some_and(|p| p.settings.payment_status_not_reported)
        {
            res.push(problem(
                "scenario-payment-status-not-reported",
                "this recipient does not report « Mise en paiement », so this step never happens",
                format!("{step_path}.action"),
                Some("remove the step or the `payment_status_not_reported` setting"),
            ));
        }
    }
}

/// References of a document's invoice: the recipient, its service, the supplier, the cadre.
fn check_form_refs(scenario: &Scenario, res: &mut Vec<Problem>, form: &InvoiceForm, path: &str) {
    let recipient = form.recipient_siret.trim();
    if !recipient.is_empty() {
        match scenario.directory.iter().find(|p| p.siret == recipient) {
            None => res.push(problem(
                "scenario-unknown-recipient",
                format!("no public structure `{recipient}` in the directory"),
                format!("{path}.recipient_siret"),
                Some("add it under `directory:`"),
            )),
            Some(public) => {
                let service = form.service_code.trim();
                if !service.is_empty() && !public.services.iter().any(|s| s.code == service) {
                    res.push(problem(
                        "scenario-unknown-service",
                        format!("no service `{service}` in {}", public.name),
                        format!("{path}.service_code"),
                        Some("declare it under the recipient's `services:`"),
                    ));
                }
            }
        }
    }
    let supplier = form.supplier_siret.trim();
    if !supplier.is_empty()
        && !scenario.structures.iter().any(|s| s.siret == supplier)
        && !scenario.register.iter().any(|e| e.siret == supplier)
    {
        res.push(problem(
            "scenario-unknown-structure",
            format!("supplier `{supplier}` is neither a structure nor in the register"),
            format!("{path}.supplier_siret"),
            None,
        ));
    }
    if let Some(cadre) = form.cadre {
        if !matches!(cadre, Cadre::A1 | Cadre::A2 | Cadre::A9 | Cadre::A12) {
            res.push(problem(
                "scenario-invalid-cadre",
                format!("cadre {} is not an invoice cadre", cadre.code()),
                format!("{path}.cadre"),
                Some("invoices use A1, A2, A9 or A12; works pieces go under `works:`"),
            ));
        }
    }
}

/// The totals printed on a document must be those its lines give.
fn check_printed(
    res: &mut Vec<Problem>,
    form: &InvoiceForm,
    printed: Option<&TypedTotals>,
    path: &str,
) {
    let totals = compute_totals(form);
    if let Some(printed) = printed {
        let pairs = [
            ("total_ht", "HT", printed.total_ht, totals.total_ht),
            ("total_vat", "TVA", printed.total_vat, totals.total_vat),
            ("total_ttc", "TTC", printed.total_ttc, totals.total_ttc),
            (
                "net_to_pay",
                "net à payer",
                printed.net_to_pay,
                totals.net_to_pay,
            ),
        ];
        for (field, label, typed, computed) in pairs {
            if let Some(typed) = typed {
                if typed != computed {
                    res.push(problem(
                        "scenario-inconsistent-amounts",
                        format!(
                            "the document prints {} {label} but its lines give {}",
                            typed.to_fr_string(),
                            computed.to_fr_string()
                        ),
                        format!("{path}.printed.{field}"),
                        Some("amounts are recomputed: line HT rounded to the cent, VAT per rate, TTC = HT + TVA, net = TTC − déjà payé"),
                    ));
                }
            }
        }
    }
    if form.cadre == Some(Cadre::A2) && totals.net_to_pay != Amount::ZERO {
        res.push(problem(
            "scenario-inconsistent-amounts",
            format!(
                "an A2 invoice is already paid, but this one leaves {} to pay",
                totals.net_to_pay.to_fr_string()
            ),
            format!("{path}.invoice.already_paid"),
            Some("set `already_paid` to the TTC amount"),
        ));
    }
}

/// A sent invoice of the scenario must pass the entry rules, except the routing fields of an
/// invoice « À recycler » (they are wrong on purpose).
fn check_sent_form(
    scenario: &Scenario,
    res: &mut Vec<Problem>,
    invoice: &ScenarioInvoice,
    day: Date,
    path: &str,
) {
    let form = &invoice.form;
    let roles = scenario
        .roles
        .get(form.supplier_siret.trim())
        .cloned()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| vec![crate::invoice::ActorRole::Fournisseur]);
    let role = form
        .cadre
        .and_then(|c| {
            roles
                .iter()
                .copied()
                .find(|r| r.cadres_offered().contains(&c))
        })
        .unwrap_or(roles[0]);
    let bank_accounts = scenario
        .structures
        .iter()
        .find(|s| s.siret == form.supplier_siret.trim())
        .map(|s| {
            s.bank_accounts
                .iter()
                .map(|b| validate::normalize_code(&b.iban))
                .collect()
        })
        .unwrap_or_default();
    let ctx = ValidationContext {
        role,
        supplier_sirets: vec![form.supplier_siret.trim().to_owned()],
        bank_accounts,
        recipients: scenario.directory.iter().map(to_recipient).collect(),
        today: day,
    };
    for error in validate_entry(form, &ctx, &[]) {
        let routing = matches!(
            error.field.as_str(),
            "recipient_siret" | "service_code" | "engagement"
        );
        if invoice.status == Status::ARecycler && routing {
            continue;
        }
        res.push(problem(
            "scenario-invalid-invoice",
            format!("{}: {}", error.code, error.message),
            format!("{path}.form.{}", error.field),
            Some(&error.rule),
        ));
    }
}

fn status_allowed(status: Status, needs_valideur: bool) -> bool {
    match status {
        Status::AValider1 | Status::Refusee1 => needs_valideur,
        Status::Brouillon
        | Status::MiseADisposition
        | Status::ARecycler
        | Status::Suspendue
        | Status::Completee
        | Status::Rejetee
        | Status::ServiceFait
        | Status::Mandatee
        | Status::MiseADispositionComptable
        | Status::Comptabilisee
        | Status::MiseEnPaiement => true,
        _ => false,
    }
}

/// A plausible history leading to `status`, every entry dated `since`.
fn made_up_tracking(status: Status, needs_valideur: bool, since: Date, reason: &str) -> Tracking {
    use Status as S;
    let path: Vec<Status> = match status {
        S::Brouillon => vec![S::Brouillon],
        S::AValider1 => vec![S::Brouillon, S::Deposee, S::AValider1],
        S::Refusee1 => vec![S::Brouillon, S::Deposee, S::AValider1, S::Refusee1],
        other => {
            let mut path = vec![S::Brouillon, S::Deposee];
            if needs_valideur {
                path.extend([S::AValider1, S::Validee1]);
            } else {
                path.push(S::EnCoursAcheminement);
            }
            path.push(S::MiseADisposition);
            if other == S::Completee {
                path.push(S::Suspendue);
            }
            if other != S::MiseADisposition {
                path.push(other);
            }
            path
        }
    };
    let last = path.len() - 1;
    Tracking {
        status,
        since,
        history: path
            .into_iter()
            .enumerate()
            .map(|(idx, status)| HistoryEntry {
                status,
                at: since,
                comment: if idx == last {
                    reason.trim().to_owned()
                } else {
                    String::new()
                },
            })
            .collect(),
        acknowledged: false,
    }
}

fn default_status() -> Status {
    Status::MiseADisposition
}

fn default_works_days() -> u32 {
    3
}
