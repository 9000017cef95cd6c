//! What the simulated portal keeps about invoices (part 2): the learner's invoices with their
//! tracking and certificat de dépôt, the documents a scenario provides, the recipients'
//! scripted behaviour, works dossiers and sollicitations, plus the read-only queries the
//! browser needs (« Factures émises », « Factures à valider », search and filters, cadres
//! offered, the form's validation context).
//!
//! Everything here is plain data stored in [`World`]; it changes only through
//! [`crate::apply`] and the simulated clock ([`crate::clock`]).

use didact_map::VecMap;

use serde::{Deserialize, Serialize};

use crate::invoice::{
    compute_totals, Acknowledgement, ActorRole, Amount, BillingDossier, Cadre, Date, Event,
    ExistingInvoice, Handler, InvoiceForm, Recipient, RecipientService, SollicitationActor,
    SollicitationForm, SollicitationStatus, Status, Totals, Tracking, TypedTotals,
    ValidationContext,
};
use crate::world::{same_email, AccessLevel, Espace, PublicStructure, World};

/// How an invoice was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryMode {
    /// « Saisir une facture »: typed into the empty form.
    #[default]
    Saisie,
    /// « Déposer une facture »: a PDF chosen by the learner pre-filled the form.
    DepotPdf,
}

/// An invoice of the simulated portal, from draft to its last status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Identifier, unique in the world (not the invoice number).
    pub id: u64,
    /// The form as last saved or sent (supplier, recipient, lines, attachments…).
    pub form: InvoiceForm,
    /// Saisie or PDF deposit.
    #[serde(default)]
    pub mode: EntryMode,
    /// Id of the provided document it was deposited from, if any.
    #[serde(default)]
    pub document: Option<String>,
    /// Login of the user who created it (receives the notifications).
    pub created_by: String,
    /// Status and history.
    pub tracking: Tracking,
    /// The certificat de dépôt, once sent.
    #[serde(default)]
    pub certificate: Option<DepositCertificate>,
    /// Index of the next recipient step to play (see [`RecipientStep`]).
    #[serde(default)]
    pub next_step: usize,
    /// Behaviour of the recipient for this invoice only; the directory's when `None`.
    #[serde(default)]
    pub behaviour: Option<Vec<RecipientStep>>,
    /// Day the supplier last acknowledged a rejection or suspension (kept after the
    /// invoice moves on, unlike `tracking.acknowledged`).
    #[serde(default)]
    pub acknowledged_on: Option<Date>,
}

/// The data of the certificat de dépôt exported from the deposit summary (reference 2.1: the
/// deposit date is enforceable and starts the payment period). Its layout and the deposit
/// number format are simulator choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositCertificate {
    /// Deposit number given by the simulator, e.g. `DEP-2025-000042`.
    pub deposit_number: String,
    /// Invoice number.
    pub invoice_number: String,
    /// Cadre de facturation.
    pub cadre: Cadre,
    /// Facture or avoir.
    pub kind: crate::invoice::InvoiceKind,
    /// Supplier SIRET.
    pub supplier_siret: String,
    /// Supplier raison sociale.
    pub supplier_name: String,
    /// Recipient SIRET.
    pub recipient_siret: String,
    /// Recipient name.
    pub recipient_name: String,
    /// Code service, possibly empty.
    pub service_code: String,
    /// Engagement number, possibly empty.
    pub engagement: String,
    /// Deposit date (simulated).
    pub deposited_on: Date,
    /// Minute of the simulated clock.
    pub deposited_at: u64,
    /// Login of the depositor.
    pub depositor: String,
    /// Total HT.
    pub total_ht: Amount,
    /// Total TVA.
    pub total_vat: Amount,
    /// Total TTC.
    pub total_ttc: Amount,
    /// Net à payer.
    pub net_to_pay: Amount,
    /// Délai global de paiement of the recipient, in days (reference 4.4).
    pub payment_days: u32,
    /// Deposit date + DGP, for information: Chorus Pro does not manage payment periods.
    pub payment_due: Date,
}

/// What a public recipient does with an invoice once it is « Mise à disposition »: a list of
/// steps played in order by the simulated clock. Each step happens `after_days` days after the
/// invoice entered its current status. After the supplier re-addresses or completes a returned
/// invoice, the next step is played; a step the status machine refuses (e.g. « Mise en
/// paiement » for a recipient that does not report it) is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientStep {
    /// Days after the current status was entered.
    #[serde(default)]
    pub after_days: u32,
    /// What the recipient does.
    pub action: RecipientAction,
    /// Reason or comment shown to the supplier (mandatory for suspend and reject).
    #[serde(default)]
    pub reason: String,
}

/// An action of the recipient on a received invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientAction {
    /// « À recycler »: wrong routing data.
    Recycle,
    /// « Suspendue »: supporting documents missing.
    Suspend,
    /// « Rejetée »: final.
    Reject,
    /// « Service fait ».
    ServiceFait,
    /// « Mandatée ».
    Mandatee,
    /// « Mise à disposition du comptable ».
    MiseADispositionComptable,
    /// « Comptabilisée ».
    Comptabilisee,
    /// « Mise en paiement ».
    MiseEnPaiement,
}

/// How a provided document is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A PDF to deposit with « Déposer une facture »: its data pre-fills the form.
    #[default]
    Pdf,
    /// An invoice shown to the learner, to type with « Saisir une facture » (no pre-filling).
    Paper,
}

/// A document the scenario gives the learner: an invoice PDF to deposit, or a paper invoice to
/// type. `invoice` holds what the portal reads on it (for a PDF, what its character recognition
/// pre-fills; fields left empty are for the learner to complete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvidedDocument {
    /// Identifier used by actions and goals.
    pub id: String,
    /// File name, e.g. `FAC-2025-0042.pdf`.
    pub file: String,
    /// PDF or paper.
    #[serde(default)]
    pub kind: DocumentKind,
    /// File size in bytes (150 000 when omitted).
    #[serde(default = "default_document_size")]
    pub size_bytes: u64,
    /// A password-protected PDF (refused by Chorus Pro).
    #[serde(default)]
    pub password_protected: bool,
    /// Short description shown to the learner.
    #[serde(default)]
    pub description: String,
    /// The invoice data printed on the document.
    pub invoice: InvoiceForm,
    /// The totals printed on the document; checked against the lines by `check_scenario`.
    #[serde(default)]
    pub printed: Option<TypedTotals>,
}

/// The actors of a works contract the learner may play (reference 6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorksRole {
    /// The titulaire (deposits A4, or A5 without MOE; validates a sous-traitant's A10).
    Titulaire,
    /// The maîtrise d'œuvre (deposits A15 from an A4).
    Moe,
    /// The maîtrise d'ouvrage (deposits A19 from an A15, notifies the décompte général A20).
    Moa,
}

/// A works dossier of the world: the domain's [`BillingDossier`] plus who plays which actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksDossier {
    /// Identifier, unique in the world.
    pub id: u64,
    /// Name of the contract, for display.
    pub name: String,
    /// The pieces and the actors' SIRETs.
    pub dossier: BillingDossier,
    /// Actors the learner may play; the scenario plays the others.
    pub learner_roles: Vec<WorksRole>,
    /// The actor the learner currently plays.
    pub current_role: Option<WorksRole>,
    /// Days the scenario's MOE takes to deposit its état d'acompte (at most 7, reference 6.3).
    pub moe_days: u32,
    /// Days the scenario's MOA takes to deposit its état d'acompte validé, or to notify the
    /// décompte général.
    pub moa_days: u32,
    /// The scenario's MOA never notifies a décompte général (A20), so that the titulaire takes
    /// the tacit route (A22 → A23); ignored when the learner plays the MOA.
    #[serde(default)]
    pub moa_silent: bool,
}

/// A sollicitation of the learner (« Sollicitations émises »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sollicitation {
    /// Identifier, unique in the world.
    pub id: u64,
    /// Number shown to the learner, e.g. `SOL-000012` (format: simulator choice).
    pub number: String,
    /// The form.
    pub form: SollicitationForm,
    /// Status.
    pub status: SollicitationStatus,
    /// Who processes it (from its category).
    pub handler: Handler,
    /// Login of the sender.
    pub created_by: String,
    /// When the status was entered.
    pub status_since: Date,
    /// Exchanges, oldest first.
    pub messages: Vec<SollicitationMessage>,
}

/// One message of a sollicitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SollicitationMessage {
    /// Sender or handler.
    pub from: SollicitationActor,
    /// Date.
    pub at: Date,
    /// Text.
    pub text: String,
}

/// How the simulated support and services métier answer sollicitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpdeskBehaviour {
    /// Days before each answer.
    #[serde(default = "default_answer_days")]
    pub answer_after_days: u32,
    /// Ask for more information once before answering.
    #[serde(default)]
    pub request_information_first: bool,
    /// Text of the answer.
    #[serde(default = "default_answer")]
    pub answer: String,
}

/// Filters of the « Suivi » list; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InvoiceFilter {
    /// Text searched in the number, the recipient SIRET and name, the engagement.
    pub text: String,
    /// Current status.
    pub status: Option<Status>,
    /// Cadre.
    pub cadre: Option<Cadre>,
    /// Supplier SIRET.
    pub supplier_siret: String,
    /// Recipient SIRET.
    pub recipient_siret: String,
    /// Invoices dated on or after.
    pub from: Option<Date>,
    /// Invoices dated on or before.
    pub to: Option<Date>,
}

/// Minutes in a simulated day.
pub const MINUTES_PER_DAY: u64 = 1440;
/// The simulated calendar stops after this many days (a century), and never goes past
/// 31/12/9999, so that every date keeps its four-digit year.
pub const MAX_DAYS: u64 = 36_500;

impl Default for HelpdeskBehaviour {
    fn default() -> HelpdeskBehaviour {
        HelpdeskBehaviour {
            answer_after_days: default_answer_days(),
            request_information_first: false,
            answer: default_answer(),
        }
    }
}

impl RecipientAction {
    /// The status machine's event for this action.
    pub fn event(self, reason: &str) -> Event {
        let reason = reason.to_owned();
        match self {
            RecipientAction::Recycle => Event::Recycle { reason },
            RecipientAction::Suspend => Event::Suspend { reason },
            RecipientAction::Reject => Event::Reject { reason },
            RecipientAction::ServiceFait => Event::MarkServiceDone,
            RecipientAction::Mandatee => Event::Mandate,
            RecipientAction::MiseADispositionComptable => Event::MakeAvailableToAccountant,
            RecipientAction::Comptabilisee => Event::RecordInAccounts,
            RecipientAction::MiseEnPaiement => Event::PutInPayment,
        }
    }

    /// Whether the action needs a reason (suspension and rejection, reference 4.1).
    pub fn needs_reason(self) -> bool {
        matches!(self, RecipientAction::Suspend | RecipientAction::Reject)
    }
}

impl WorksRole {
    /// French name.
    pub fn label(self) -> &'static str {
        match self {
            WorksRole::Titulaire => "titulaire",
            WorksRole::Moe => "maîtrise d'œuvre (MOE)",
            WorksRole::Moa => "maîtrise d'ouvrage (MOA)",
        }
    }
}

impl Invoice {
    /// The computed totals of its form.
    pub fn totals(&self) -> Totals {
        compute_totals(&self.form)
    }

    /// Whether it was sent (not a draft, not deleted).
    pub fn is_sent(&self) -> bool {
        !matches!(self.tracking.status, Status::Brouillon | Status::Supprimee)
    }

    /// Whether it ever entered `status`.
    pub fn reached(&self, status: Status) -> bool {
        self.tracking.history.iter().any(|h| h.status == status)
    }
}

impl World {
    /// Today in simulated time: `start_date` plus the whole days of the clock.
    pub fn today(&self) -> Date {
        day_after(self.start_day(), self.clock)
    }

    /// The date of minute 0 (`start_date`; 2025-03-03 if it cannot be read).
    pub fn start_day(&self) -> Date {
        Date::parse(&self.start_date)
            .unwrap_or_else(|_| Date::from_ymd(2025, 3, 3).expect("2025-03-03 exists"))
    }

    /// The invoice with this id.
    pub fn invoice(&self, id: u64) -> Option<&Invoice> {
        self.invoices.iter().find(|i| i.id == id)
    }

    /// The provided document with this id.
    pub fn document(&self, id: &str) -> Option<&ProvidedDocument> {
        self.documents.iter().find(|d| d.id == id.trim())
    }

    /// The works dossier with this id.
    pub fn works_dossier(&self, id: u64) -> Option<&WorksDossier> {
        self.works.iter().find(|d| d.id == id)
    }

    /// The sollicitation with this id.
    pub fn sollicitation(&self, id: u64) -> Option<&Sollicitation> {
        self.sollicitations.iter().find(|s| s.id == id)
    }

    /// The roles of a structure in the scenario's contracts; fournisseur when none is declared.
    pub fn roles_of(&self, siret: &str) -> Vec<ActorRole> {
        match self.roles.get(siret.trim()) {
            Some(roles) if !roles.is_empty() => roles.clone(),
            _ => vec![ActorRole::Fournisseur],
        }
    }

    /// The cadres « Factures émises » offers to a supplier structure, from its roles
    /// (reference 1.2: A1, A2 fournisseur; A9 sous-traitant; A12 cotraitant).
    pub fn cadres_offered(&self, siret: &str) -> Vec<Cadre> {
        let mut res: Vec<Cadre> = Vec::new();
        for role in self.roles_of(siret) {
            for cadre in role.invoice_cadres_offered() {
                if !res.contains(&cadre) {
                    res.push(cadre);
                }
            }
        }
        res.sort();
        res
    }

    /// The directory entry of a recipient as the invoice rules see it.
    pub fn recipient(&self, siret: &str) -> Option<Recipient> {
        self.public_structure(siret).map(to_recipient)
    }

    /// Structures where the user has at least `level` on `espace`.
    pub fn structures_with_access(
        &self,
        email: &str,
        espace: Espace,
        level: AccessLevel,
    ) -> Vec<String> {
        self.structures
            .iter()
            .filter(|s| {
                s.member(email)
                    .and_then(|m| m.espaces.get(&espace))
                    .is_some_and(|l| *l >= level)
            })
            .map(|s| s.siret.clone())
            .collect()
    }

    /// The context the invoice rules need for a user entering an invoice for `supplier_siret`:
    /// the role is the supplier's role that offers the chosen cadre (its first role otherwise).
    pub fn validation_context(
        &self,
        email: &str,
        supplier_siret: &str,
        cadre: Option<Cadre>,
    ) -> ValidationContext {
        let roles = self.roles_of(supplier_siret);
        let role = cadre
            .and_then(|cadre| {
                roles
                    .iter()
                    .copied()
                    .find(|r| r.cadres_offered().contains(&cadre))
            })
            .unwrap_or(roles[0]);
        let bank_accounts = self
            .structure(supplier_siret)
            .map(|s| s.bank_accounts.iter().map(|b| b.iban.clone()).collect())
            .unwrap_or_default();
        ValidationContext {
            role,
            supplier_sirets: self.structures_with_access(
                email,
                Espace::FacturesEmises,
                AccessLevel::Modification,
            ),
            bank_accounts,
            recipients: self.directory.iter().map(to_recipient).collect(),
            today: self.today(),
        }
    }

    /// Every invoice but `except`, for the number-uniqueness rule.
    pub fn existing_invoices(&self, except: Option<u64>) -> Vec<ExistingInvoice> {
        self.invoices
            .iter()
            .filter(|i| Some(i.id) != except)
            .map(|i| ExistingInvoice {
                supplier_siret: i.form.supplier_siret.clone(),
                number: i.form.number.clone(),
                status: i.tracking.status,
            })
            .collect()
    }

    /// « Factures émises »: the invoices of the structures the user may consult there,
    /// deleted drafts left out, newest first.
    pub fn invoices_of(&self, email: &str) -> Vec<&Invoice> {
        let sirets =
            self.structures_with_access(email, Espace::FacturesEmises, AccessLevel::Consultation);
        let mut res: Vec<&Invoice> = self
            .invoices
            .iter()
            .filter(|i| i.tracking.status != Status::Supprimee)
            .filter(|i| sirets.iter().any(|s| *s == i.form.supplier_siret.trim()))
            .collect();
        res.sort_by_key(|r| std::cmp::Reverse(r.id));
        res
    }

    /// « Suivi »: [`World::invoices_of`] narrowed by a search and filters.
    pub fn search_invoices(&self, email: &str, filter: &InvoiceFilter) -> Vec<&Invoice> {
        let text = filter.text.trim().to_lowercase();
        self.invoices_of(email)
            .into_iter()
            .filter(|i| filter.status.is_none_or(|s| i.tracking.status == s))
            .filter(|i| filter.cadre.is_none_or(|c| i.form.cadre == Some(c)))
            .filter(|i| {
                filter.supplier_siret.trim().is_empty()
                    || i.form.supplier_siret.trim() == filter.supplier_siret.trim()
            })
            .filter(|i| {
                filter.recipient_siret.trim().is_empty()
                    || i.form.recipient_siret.trim() == filter.recipient_siret.trim()
            })
            .filter(|i| {
                filter
                    .from
                    .is_none_or(|from| i.form.invoice_date.is_some_and(|d| d >= from))
            })
            .filter(|i| {
                filter
                    .to
                    .is_none_or(|to| i.form.invoice_date.is_some_and(|d| d <= to))
            })
            .filter(|i| {
                if text.is_empty() {
                    return true;
                }
                let name = self
                    .public_structure(&i.form.recipient_siret)
                    .map(|p| p.name.to_lowercase())
                    .unwrap_or_default();
                i.form.number.to_lowercase().contains(&text)
                    || i.form.recipient_siret.contains(&text)
                    || i.form.engagement.to_lowercase().contains(&text)
                    || name.contains(&text)
            })
            .collect()
    }

    /// « Factures à valider »: A9/A12 invoices waiting for a valideur structure the user may
    /// act for (access « Factures à valider » in modification).
    pub fn invoices_to_validate(&self, email: &str) -> Vec<&Invoice> {
        let sirets =
            self.structures_with_access(email, Espace::FacturesAValider, AccessLevel::Modification);
        self.invoices
            .iter()
            .filter(|i| matches!(i.tracking.status, Status::AValider1 | Status::AValider2))
            .filter(|i| sirets.iter().any(|s| *s == i.form.valideur_siret.trim()))
            .collect()
    }

    /// Returned invoices whose rejection or suspension the user must acknowledge at login,
    /// with whether the pop-up can still be closed (reference 3.3 b: compulsory after 7 days).
    pub fn acknowledgements_due(&self, email: &str) -> Vec<(&Invoice, Acknowledgement)> {
        let today = self.today();
        self.invoices_of(email)
            .into_iter()
            .map(|i| (i, i.tracking.acknowledgement(today)))
            .filter(|(_, ack)| *ack != Acknowledgement::NotNeeded)
            .collect()
    }

    /// The form a provided PDF pre-fills for a supplier structure: the document's data, the
    /// supplier set, and the PDF as pièce jointe principale.
    pub fn prefilled_form(&self, document_id: &str, supplier_siret: &str) -> Option<InvoiceForm> {
        let document = self.document(document_id)?;
        let mut form = document.invoice.clone();
        if form.supplier_siret.trim().is_empty() {
            form.supplier_siret = supplier_siret.trim().to_owned();
        }
        form.attachments.insert(0, document.attachment());
        Some(form)
    }

    /// Sollicitations sent (or drafted) by a user, newest first.
    pub fn sollicitations_of(&self, email: &str) -> Vec<&Sollicitation> {
        let mut res: Vec<&Sollicitation> = self
            .sollicitations
            .iter()
            .filter(|s| same_email(&s.created_by, email))
            .collect();
        res.sort_by_key(|r| std::cmp::Reverse(r.id));
        res
    }
}

impl ProvidedDocument {
    /// The document as a pièce jointe.
    pub fn attachment(&self) -> crate::invoice::Attachment {
        crate::invoice::Attachment {
            name: self.file.clone(),
            size_bytes: self.size_bytes,
            password_protected: self.password_protected,
        }
    }
}

/// The recipient settings of a directory entry, for the invoice rules.
pub fn to_recipient(public: &PublicStructure) -> Recipient {
    Recipient {
        siret: public.siret.clone(),
        name: public.name.clone(),
        active: public.active,
        services: public
            .services
            .iter()
            .map(|s| RecipientService {
                code: s.code.clone(),
                label: s.name.clone(),
                active: s.active,
            })
            .collect(),
        service_required: public.settings.service_required,
        engagement_required: public.settings.engagement_required,
        service_or_engagement: public.settings.engagement_or_service_required,
        reports_payment_status: !public.settings.payment_status_not_reported,
        checked_engagements: None,
    }
}

/// The certificat de dépôt of an invoice form deposited on `day` by `depositor`;
/// `deposit_id` numbers it.
pub fn build_certificate(
    world: &World,
    form: &InvoiceForm,
    deposit_id: u64,
    day: Date,
    depositor: &str,
) -> DepositCertificate {
    let totals = compute_totals(form);
    let recipient = world.public_structure(&form.recipient_siret);
    let payment_days = recipient.map_or(30, |p| p.payment_days);
    DepositCertificate {
        deposit_number: format!("DEP-{}-{deposit_id:06}", day.year()),
        invoice_number: form.number.trim().to_owned(),
        cadre: form.cadre.unwrap_or(Cadre::A1),
        kind: form.kind,
        supplier_siret: form.supplier_siret.trim().to_owned(),
        supplier_name: world
            .structure(&form.supplier_siret)
            .map(|s| s.raison_sociale.clone())
            .unwrap_or_default(),
        recipient_siret: form.recipient_siret.trim().to_owned(),
        recipient_name: recipient.map(|p| p.name.clone()).unwrap_or_default(),
        service_code: form.service_code.trim().to_owned(),
        engagement: form.engagement.trim().to_owned(),
        deposited_on: day,
        deposited_at: world.clock,
        depositor: depositor.to_owned(),
        total_ht: totals.total_ht,
        total_vat: totals.total_vat,
        total_ttc: totals.total_ttc,
        net_to_pay: totals.net_to_pay,
        payment_days,
        payment_due: day.add_days(i64::from(payment_days)),
    }
}

/// The day `minutes` after the start of `start`, within the simulated calendar
/// ([`MAX_DAYS`], 31/12/9999 at the latest).
pub fn day_after(start: Date, minutes: u64) -> Date {
    let days = (minutes / MINUTES_PER_DAY).min(MAX_DAYS);
    let last = Date::from_ymd(9999, 12, 31).expect("31/12/9999 exists");
    start
        .add_days(i64::try_from(days).expect("MAX_DAYS fits in i64"))
        .min(last)
}

/// Roles per structure SIRET, as written in a scenario.
pub type Roles = VecMap<String, Vec<ActorRole>>;

fn default_document_size() -> u64 {
    150_000
}

fn default_answer_days() -> u32 {
    2
}

fn default_answer() -> String {
    "Bonjour, votre demande a bien été traitée. N'hésitez pas à revenir vers nous si besoin."
        .to_owned()
}
