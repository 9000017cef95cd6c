//! Invoice, works and sollicitation goals (part 2): when they are met, their French label,
//! and what `check_exercise` reports about them — including the **amount consistency
//! check**: an amount in a goal is recomputed from the scenario's documents with the same
//! decimal code as the simulator ([`compute_totals`]), so an exercise asking for a total that
//! no invoice built from the provided documents can have fails the build.

use serde::{Deserialize, Serialize};

use super::Goal;
use crate::invoice::sollicitation::CATEGORIES;
use crate::invoice::{
    compute_totals, Amount, Cadre, InvoiceForm, InvoiceKind, Status, WorksPiece, WorksStatus,
};
use crate::records::{DocumentKind, Invoice, WorksRole};
use crate::scenario::{problem, Problem, Scenario};
use crate::world::World;

/// What an `invoice_sent` goal asks of the sent invoice; every field left out matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceCriteria {
    /// Cadre de facturation.
    #[serde(default)]
    pub cadre: Option<Cadre>,
    /// `FACTURE` or `AVOIR`.
    #[serde(default)]
    pub kind: Option<InvoiceKind>,
    /// Supplier SIRET.
    #[serde(default)]
    pub supplier_siret: Option<String>,
    /// Recipient SIRET.
    #[serde(default)]
    pub recipient_siret: Option<String>,
    /// Code service.
    #[serde(default)]
    pub service_code: Option<String>,
    /// Engagement number.
    #[serde(default)]
    pub engagement: Option<String>,
    /// Invoice number.
    #[serde(default)]
    pub number: Option<String>,
    /// Number of the invoice an avoir corrects.
    #[serde(default)]
    pub original_number: Option<String>,
    /// Valideur SIRET (A9, A12).
    #[serde(default)]
    pub valideur_siret: Option<String>,
    /// The provided document the invoice is built from: a PDF must have been deposited with
    /// « Déposer une facture »; the goal's amounts are checked against it.
    #[serde(default)]
    pub document: Option<String>,
    /// Total HT (`"1 029,00"` or `"1029.00"`).
    #[serde(default, with = "optional_amount")]
    pub total_ht: Option<Amount>,
    /// Total TTC.
    #[serde(default, with = "optional_amount")]
    pub total_ttc: Option<Amount>,
    /// Net à payer.
    #[serde(default, with = "optional_amount")]
    pub net_to_pay: Option<Amount>,
}

/// Reads an optional amount written as a string, in French (`"1 234,56 €"`) or with a
/// decimal point (`"1234.56"`); writes it as a decimal string.
pub(crate) mod optional_amount {
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    use crate::invoice::Amount;

    /// Serialises like `Option<Amount>`.
    pub fn serialize<S: Serializer>(
        value: &Option<Amount>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Parses the string with [`Amount::parse_fr`].
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Amount>, D::Error> {
        let text: Option<String> = Option::deserialize(deserializer)?;
        text.map(|text| {
            Amount::parse_fr(&text).map_err(|error| {
                de::Error::custom(format!("`{text}` is not an amount: {}", error.message_fr()))
            })
        })
        .transpose()
    }
}

pub(super) fn is_met(goal: &Goal, world: &World) -> bool {
    match goal {
        Goal::InvoiceSent(criteria) => world
            .invoices
            .iter()
            .any(|i| i.is_sent() && criteria.matches(world, i)),
        Goal::InvoiceRecycled {
            number,
            recipient_siret,
            service_code,
            engagement,
        } => by_number(world, number).any(|i| {
            let readdressed = i.tracking.history.windows(2).any(|w| {
                w[0].status == Status::ARecycler && w[1].status == Status::MiseADisposition
            });
            readdressed
                && i.tracking.status != Status::ARecycler
                && same(recipient_siret, &i.form.recipient_siret)
                && same(service_code, &i.form.service_code)
                && same(engagement, &i.form.engagement)
        }),
        Goal::InvoiceCompleted { number } => {
            by_number(world, number).any(|i| i.reached(Status::Completee))
        }
        Goal::RejectionAcknowledged { number } => {
            by_number(world, number).any(|i| i.acknowledged_on.is_some())
        }
        Goal::InvoiceValidated { number } => by_number(world, number)
            .any(|i| i.reached(Status::Validee1) || i.reached(Status::Validee2)),
        Goal::InvoiceRefusedByValideur { number } => by_number(world, number)
            .any(|i| i.reached(Status::Refusee1) || i.reached(Status::Refusee2)),
        Goal::InvoiceStatusReached { number, status } => {
            by_number(world, number).any(|i| i.reached(*status))
        }
        Goal::WorksPieceDeposited {
            cadre,
            number,
            amount_ht,
        } => world.works.iter().any(|w| {
            w.dossier.pieces.iter().any(|p| {
                p.cadre == *cadre
                    && number
                        .as_ref()
                        .is_none_or(|n| p.number.trim().eq_ignore_ascii_case(n.trim()))
                    && amount_ht.is_none_or(|a| p.amount_ht == a)
            })
        }),
        Goal::EtatAcompteDeposited {
            projet_number,
            amount_ht,
        } => world.works.iter().any(|w| {
            etats_from(&w.dossier.pieces, projet_number).any(|(_, etat)| {
                etat.cadre == Cadre::A15 && amount_ht.is_none_or(|a| etat.amount_ht == a)
            })
        }),
        Goal::EtatAcompteValidated { projet_number } => world.works.iter().any(|w| {
            let pieces = &w.dossier.pieces;
            let mut etats: Vec<usize> = etats_from(pieces, projet_number)
                .map(|(idx, _)| idx)
                .collect();
            // Without MOE, the titulaire's A5 is itself the état d'acompte.
            etats.extend(
                pieces
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.cadre == Cadre::A5 && same_number(&p.number, projet_number))
                    .map(|(idx, _)| idx),
            );
            pieces.iter().any(|p| {
                p.cadre == Cadre::A19 && p.associated_to.is_some_and(|a| etats.contains(&a))
            })
        }),
        Goal::ProjetDecompteGeneralDeposited {
            final_number,
            amount_ht,
        } => in_final_chain(world, final_number, |p| {
            p.cadre == Cadre::A17 && amount_ht.is_none_or(|a| p.amount_ht == a)
        }),
        Goal::DecompteGeneralNotified { final_number } => {
            in_final_chain(world, final_number, |p| p.cadre == Cadre::A20)
        }
        Goal::DgdSigned {
            final_number,
            with_reserves,
        } => in_final_chain(world, final_number, |p| {
            p.cadre == Cadre::A8 && with_reserves.is_none_or(|r| p.reserves.is_some() == r)
        }),
        Goal::DecompteGeneralRefused { final_number } => in_final_chain(world, final_number, |p| {
            p.cadre == Cadre::A20 && p.status == WorksStatus::RefuseTitulaire
        }),
        Goal::DgdTacite { final_number } => {
            in_final_chain(world, final_number, |p| p.cadre == Cadre::A23)
        }
        Goal::SollicitationSent {
            category,
            subcategory,
            invoice_number,
        } => world.sollicitations.iter().any(|s| {
            s.status != crate::invoice::SollicitationStatus::Brouillon
                && same(category, &s.form.category)
                && same(subcategory, &s.form.subcategory)
                && same(invoice_number, &s.form.invoice_number)
        }),
        _ => false,
    }
}

pub(super) fn label(goal: &Goal) -> String {
    match goal {
        Goal::InvoiceSent(criteria) => criteria.label(),
        Goal::InvoiceRecycled {
            number,
            recipient_siret,
            service_code,
            engagement,
        } => {
            let mut parts = Vec::new();
            if let Some(siret) = recipient_siret {
                parts.push(format!("au destinataire {siret}"));
            }
            if let Some(code) = service_code {
                parts.push(format!("avec le code service {code}"));
            }
            if let Some(ej) = engagement {
                parts.push(format!("avec l’engagement {ej}"));
            }
            let parts = if parts.is_empty() {
                String::new()
            } else {
                format!(" {}", parts.join(", "))
            };
            format!("La facture n° {number}, à recycler, est renvoyée{parts} sous le même numéro.")
        }
        Goal::InvoiceCompleted { number } => {
            format!("La facture suspendue n° {number} est complétée.")
        }
        Goal::RejectionAcknowledged { number } => {
            format!("Le retour de la facture n° {number} est acquitté.")
        }
        Goal::InvoiceValidated { number } => {
            format!("La facture n° {number} du sous-traitant (ou du cotraitant) est validée.")
        }
        Goal::InvoiceRefusedByValideur { number } => {
            format!("La facture n° {number} est refusée par le valideur.")
        }
        Goal::InvoiceStatusReached { number, status } => {
            format!("La facture n° {number} a atteint le statut « {} ».", status.label())
        }
        Goal::WorksPieceDeposited {
            cadre,
            number,
            amount_ht,
        } => {
            let number = number.as_ref().map(|n| format!(" n° {n}")).unwrap_or_default();
            let amount = amount_ht
                .map(|a| format!(" de {} HT", a.to_fr_string()))
                .unwrap_or_default();
            format!("La pièce {}{number} ({}){amount} est déposée.", cadre.code(), cadre.label())
        }
        Goal::EtatAcompteDeposited {
            projet_number,
            amount_ht,
        } => {
            let amount = amount_ht
                .map(|a| format!(" pour {} HT", a.to_fr_string()))
                .unwrap_or_default();
            format!("La maîtrise d’œuvre a déposé l’état d’acompte (A15){amount} à partir du projet de décompte n° {projet_number}.")
        }
        Goal::EtatAcompteValidated { projet_number } => format!(
            "L’état d’acompte validé (A19) issu du projet de décompte n° {projet_number} est transmis au service financier."
        ),
        Goal::ProjetDecompteGeneralDeposited {
            final_number,
            amount_ht,
        } => {
            let amount = amount_ht
                .map(|a| format!(" pour {} HT", a.to_fr_string()))
                .unwrap_or_default();
            format!("La maîtrise d’œuvre a déposé le projet de décompte général (A17){amount} à partir du projet de décompte final n° {final_number}.")
        }
        Goal::DecompteGeneralNotified { final_number } => format!(
            "La maîtrise d’ouvrage a notifié le décompte général (A20) issu du projet de décompte final n° {final_number}."
        ),
        Goal::DgdSigned {
            final_number,
            with_reserves,
        } => {
            let how = match with_reserves {
                Some(true) => " avec réserves",
                Some(false) => " sans réserves",
                None => "",
            };
            format!("Le titulaire a signé{how} le décompte général issu du projet de décompte final n° {final_number} : le décompte général et définitif (A8) est transmis au service financier.")
        }
        Goal::DecompteGeneralRefused { final_number } => format!(
            "Le titulaire a refusé le décompte général issu du projet de décompte final n° {final_number}."
        ),
        Goal::DgdTacite { final_number } => format!(
            "Le décompte général et définitif tacite (A23) issu du projet de décompte final n° {final_number} est déposé."
        ),
        Goal::SollicitationSent {
            category,
            subcategory,
            ..
        } => match (category, subcategory) {
            (Some(category), Some(sub)) => {
                format!("Une sollicitation « {category} / {sub} » est envoyée.")
            }
            (Some(category), None) => format!("Une sollicitation « {category} » est envoyée."),
            _ => "Une sollicitation est envoyée.".to_owned(),
        },
        _ => String::new(),
    }
}

pub(super) fn check_goal(goal: &Goal, scenario: &Scenario, path: &str, res: &mut Vec<Problem>) {
    match goal {
        Goal::InvoiceSent(criteria) => check_criteria(criteria, scenario, path, res),
        Goal::InvoiceRecycled { number, .. }
        | Goal::InvoiceCompleted { number }
        | Goal::RejectionAcknowledged { number }
        | Goal::InvoiceStatusReached { number, .. } => {
            check_number(scenario, number, path, res);
        }
        Goal::InvoiceValidated { number } | Goal::InvoiceRefusedByValideur { number } => {
            check_number(scenario, number, path, res);
            let existing = scenario
                .invoices
                .iter()
                .find(|i| same_number(&i.form.number, number));
            if existing.is_some_and(|i| !i.form.cadre.is_some_and(Cadre::needs_valideur)) {
                res.push(problem(
                    "exercise-invoice-not-for-validation",
                    format!("invoice `{number}` is not an A9 or A12 invoice: no valideur decides on it"),
                    format!("{path}.number"),
                    Some("only sous-traitant (A9) and cotraitant (A12) invoices go through « Factures à valider »"),
                ));
            }
        }
        Goal::WorksPieceDeposited { .. } => check_has_works(scenario, path, res),
        Goal::EtatAcompteDeposited { projet_number, .. }
        | Goal::EtatAcompteValidated { projet_number } => {
            check_has_works(scenario, path, res);
            let known = scenario
                .works
                .iter()
                .flat_map(|w| &w.pieces)
                .any(|p| same_number(&p.number, projet_number));
            let titulaire_played = scenario.works.iter().any(|w| {
                w.learner_roles.is_empty()
                    || w.learner_roles
                        .contains(&crate::records::WorksRole::Titulaire)
            });
            if !scenario.works.is_empty() && !known && !titulaire_played {
                res.push(problem(
                    "exercise-unknown-piece",
                    format!("no projet de décompte `{projet_number}` in the scenario, and the learner does not play the titulaire"),
                    format!("{path}.projet_number"),
                    Some("add the piece under the works dossier's `pieces:`"),
                ));
            }
        }
        Goal::ProjetDecompteGeneralDeposited { final_number, .. }
        | Goal::DecompteGeneralNotified { final_number }
        | Goal::DgdSigned { final_number, .. }
        | Goal::DecompteGeneralRefused { final_number }
        | Goal::DgdTacite { final_number } => {
            check_final_goal(goal, final_number, scenario, path, res);
        }
        Goal::SollicitationSent {
            category,
            subcategory,
            ..
        } => {
            let found = category
                .as_ref()
                .map(|c| CATEGORIES.iter().find(|k| k.label == c.trim()));
            match (found, subcategory) {
                (Some(None), _) => res.push(problem(
                    "exercise-unknown-category",
                    format!(
                        "unknown sollicitation category `{}`",
                        category.as_deref().unwrap_or_default()
                    ),
                    format!("{path}.category"),
                    Some("use one of the simulator's categories (see FORMAT.md)"),
                )),
                (Some(Some(k)), Some(sub)) if !k.subcategories.contains(&sub.trim()) => {
                    res.push(problem(
                        "exercise-unknown-category",
                        format!("`{sub}` is not a sub-category of `{}`", k.label),
                        format!("{path}.subcategory"),
                        Some("use one of the simulator's sub-categories (see FORMAT.md)"),
                    ))
                }
                _ => {}
            }
        }
        _ => {}
    }
}

impl InvoiceCriteria {
    fn matches(&self, world: &World, invoice: &Invoice) -> bool {
        let form = &invoice.form;
        let totals = compute_totals(form);
        let document_ok =
            self.document
                .as_ref()
                .is_none_or(|id| match world.document(id).map(|d| d.kind) {
                    Some(DocumentKind::Pdf) => invoice.document.as_deref() == Some(id.trim()),
                    _ => true,
                });
        self.cadre.is_none_or(|c| form.cadre == Some(c))
            && self.kind.is_none_or(|k| form.kind == k)
            && same(&self.supplier_siret, &form.supplier_siret)
            && same(&self.recipient_siret, &form.recipient_siret)
            && same(&self.service_code, &form.service_code)
            && same(&self.engagement, &form.engagement)
            && same(&self.valideur_siret, &form.valideur_siret)
            && self
                .number
                .as_ref()
                .is_none_or(|n| same_number(&form.number, n))
            && self
                .original_number
                .as_ref()
                .is_none_or(|n| same_number(&form.original_number, n))
            && self.total_ht.is_none_or(|a| totals.total_ht == a)
            && self.total_ttc.is_none_or(|a| totals.total_ttc == a)
            && self.net_to_pay.is_none_or(|a| totals.net_to_pay == a)
            && document_ok
    }

    fn label(&self) -> String {
        let avoir = self.kind == Some(InvoiceKind::Avoir);
        let mut res = String::from(if avoir { "Un avoir" } else { "Une facture" });
        if let Some(cadre) = self.cadre {
            res.push_str(&format!(" {}", cadre.code()));
        }
        if let Some(number) = &self.number {
            res.push_str(&format!(" n° {number}"));
        }
        if let Some(original) = &self.original_number {
            res.push_str(&format!(" sur la facture n° {original}"));
        }
        if let Some(siret) = &self.recipient_siret {
            res.push_str(&format!(" au destinataire {siret}"));
        }
        if let Some(code) = &self.service_code {
            res.push_str(&format!(", code service {code}"));
        }
        if let Some(ej) = &self.engagement {
            res.push_str(&format!(", engagement {ej}"));
        }
        if let Some(valideur) = &self.valideur_siret {
            res.push_str(&format!(", valideur {valideur}"));
        }
        if let Some(ttc) = self.total_ttc {
            res.push_str(&format!(", de {} TTC", ttc.to_fr_string()));
        } else if let Some(ht) = self.total_ht {
            res.push_str(&format!(", de {} HT", ht.to_fr_string()));
        }
        if let Some(net) = self.net_to_pay {
            res.push_str(&format!(", net à payer {}", net.to_fr_string()));
        }
        res.push_str(if avoir {
            " est envoyé."
        } else {
            " est envoyée."
        });
        res
    }
}

fn check_criteria(
    criteria: &InvoiceCriteria,
    scenario: &Scenario,
    path: &str,
    res: &mut Vec<Problem>,
) {
    if let Some(cadre) = criteria.cadre {
        if !matches!(cadre, Cadre::A1 | Cadre::A2 | Cadre::A9 | Cadre::A12) {
            res.push(problem(
                "exercise-invalid-cadre",
                format!(
                    "cadre {} is not deposited in « Factures émises »",
                    cadre.code()
                ),
                format!("{path}.cadre"),
                Some("invoice goals use A1, A2, A9 or A12; works pieces have their own goals"),
            ));
        }
    }
    if let Some(siret) = &criteria.recipient_siret {
        match scenario.directory.iter().find(|p| p.siret == siret.trim()) {
            None => res.push(problem(
                "exercise-unknown-recipient",
                format!("goal names recipient `{siret}`, which is not in the scenario's directory"),
                format!("{path}.recipient_siret"),
                Some("add it under `directory:`"),
            )),
            Some(public) => {
                if let Some(code) = &criteria.service_code {
                    if !public
                        .services
                        .iter()
                        .any(|s| s.active && s.code == code.trim())
                    {
                        res.push(problem(
                            "exercise-unknown-service",
                            format!("goal names service `{code}`, which is not an active service of {}", public.name),
                            format!("{path}.service_code"),
                            Some("an invoice can only be addressed to an active service of its recipient"),
                        ));
                    }
                }
            }
        }
    }
    let document = match &criteria.document {
        Some(id) => match scenario.documents.iter().find(|d| d.id == id.trim()) {
            Some(document) => Some(document),
            None => {
                res.push(problem(
                    "exercise-unknown-document",
                    format!("goal names document `{id}`, which the scenario does not provide"),
                    format!("{path}.document"),
                    Some("add it under the scenario's `documents:`"),
                ));
                return;
            }
        },
        None => None,
    };
    if criteria.cadre == Some(Cadre::A2) && criteria.net_to_pay.is_some_and(|n| !n.is_zero()) {
        res.push(problem(
            "exercise-inconsistent-amount",
            "an A2 invoice is already paid: its net à payer is zero",
            format!("{path}.net_to_pay"),
            Some("remove `net_to_pay` or set it to \"0\""),
        ));
    }
    let asks_amount = criteria.total_ht.is_some()
        || criteria.total_ttc.is_some()
        || criteria.net_to_pay.is_some();
    if !asks_amount {
        return;
    }
    let candidates: Vec<(&str, &InvoiceForm)> = match document {
        Some(document) => vec![(document.id.as_str(), &document.invoice)],
        None => scenario
            .documents
            .iter()
            .map(|d| (d.id.as_str(), &d.invoice))
            .chain(
                scenario
                    .invoices
                    .iter()
                    .map(|i| (i.form.number.as_str(), &i.form)),
            )
            .collect(),
    };
    if candidates.is_empty() {
        res.push(problem(
            "exercise-amount-without-document",
            "goal gives an amount but the scenario provides no document to compute it from",
            path,
            Some("add the invoice the learner deposits or types under the scenario's `documents:`, with its lines"),
        ));
        return;
    }
    let consistent = candidates.iter().any(|(_, form)| {
        let totals = compute_totals(form);
        let expected_net = if criteria.cadre == Some(Cadre::A2) {
            Amount::ZERO
        } else {
            totals.net_to_pay
        };
        criteria.total_ht.is_none_or(|a| a == totals.total_ht)
            && criteria.total_ttc.is_none_or(|a| a == totals.total_ttc)
            && criteria.net_to_pay.is_none_or(|a| a == expected_net)
    });
    if !consistent {
        let computed: Vec<String> = candidates
            .iter()
            .map(|(id, form)| {
                let totals = compute_totals(form);
                format!(
                    "{id}: {} HT, {} TTC, net {}",
                    totals.total_ht.to_fr_string(),
                    totals.total_ttc.to_fr_string(),
                    totals.net_to_pay.to_fr_string()
                )
            })
            .collect();
        res.push(problem(
            "exercise-inconsistent-amount",
            format!(
                "no invoice built from the scenario's documents has the goal's amounts (computed: {})",
                computed.join("; ")
            ),
            path,
            Some("amounts are recomputed from the lines: line HT rounded to the cent, VAT per rate, TTC = HT + TVA"),
        ));
    }
}

fn check_number(scenario: &Scenario, number: &str, path: &str, res: &mut Vec<Problem>) {
    let known = scenario
        .invoices
        .iter()
        .any(|i| same_number(&i.form.number, number))
        || scenario
            .documents
            .iter()
            .any(|d| same_number(&d.invoice.number, number));
    if !known {
        res.push(problem(
            "exercise-unknown-invoice",
            format!("goal names invoice `{number}`, which is neither an invoice nor a document of the scenario"),
            format!("{path}.number"),
            Some("add the invoice under the scenario's `invoices:` (or `documents:`)"),
        ));
    }
}

fn check_has_works(scenario: &Scenario, path: &str, res: &mut Vec<Problem>) {
    if scenario.works.is_empty() {
        res.push(problem(
            "exercise-no-works-dossier",
            "works goal in a scenario without works contract",
            path,
            Some("describe the contract under the scenario's `works:`"),
        ));
    }
}

/// End-of-contract goals: the A7 must be in the scenario or deposited by the learner as
/// titulaire, and a goal that needs the MOA's décompte général cannot be met when the
/// scenario's MOA stays silent and the learner does not play the MOA.
fn check_final_goal(
    goal: &Goal,
    final_number: &str,
    scenario: &Scenario,
    path: &str,
    res: &mut Vec<Problem>,
) {
    check_has_works(scenario, path, res);
    if scenario.works.is_empty() {
        return;
    }
    let learner_plays = |works: &crate::scenario::ScenarioWorks, role| {
        if works.learner_roles.is_empty() {
            role == WorksRole::Titulaire
        } else {
            works.learner_roles.contains(&role)
        }
    };
    let candidates: Vec<_> = scenario
        .works
        .iter()
        .filter(|w| {
            learner_plays(w, WorksRole::Titulaire)
                || w.pieces
                    .iter()
                    .any(|p| p.cadre == Cadre::A7 && same_number(&p.number, final_number))
        })
        .collect();
    if candidates.is_empty() {
        res.push(problem(
            "exercise-unknown-piece",
            format!("no projet de décompte final `{final_number}` in the scenario, and the learner does not play the titulaire"),
            format!("{path}.final_number"),
            Some("add the A7 under the works dossier's `pieces:`"),
        ));
        return;
    }
    let needs_moa = matches!(
        goal,
        Goal::DecompteGeneralNotified { .. }
            | Goal::DgdSigned { .. }
            | Goal::DecompteGeneralRefused { .. }
    );
    if needs_moa
        && candidates
            .iter()
            .all(|w| w.moa_silent && !learner_plays(w, WorksRole::Moa))
    {
        res.push(problem(
            "exercise-moa-silent",
            "the goal needs a décompte général, but the scenario's MOA never notifies one",
            path,
            Some("remove `moa_silent`, let the learner play the MOA, or use `dgd_tacite`"),
        ));
    }
}

/// Whether a works piece following the projet de décompte final numbered `final_number`
/// matches `predicate`.
fn in_final_chain(
    world: &World,
    final_number: &str,
    predicate: impl Fn(&WorksPiece) -> bool,
) -> bool {
    world.works.iter().any(|w| {
        let dossier = &w.dossier;
        dossier.pieces.iter().enumerate().any(|(idx, piece)| {
            predicate(piece)
                && dossier
                    .final_of(idx)
                    .is_some_and(|f| same_number(&dossier.pieces[f].number, final_number))
        })
    })
}

fn by_number<'a>(world: &'a World, number: &'a str) -> impl Iterator<Item = &'a Invoice> + 'a {
    world.invoices.iter().filter(move |i| {
        i.tracking.status != Status::Supprimee && same_number(&i.form.number, number)
    })
}

/// The pieces associated with the projet numbered `projet_number`, with their index.
fn etats_from<'a>(
    pieces: &'a [WorksPiece],
    projet_number: &'a str,
) -> impl Iterator<Item = (usize, &'a WorksPiece)> + 'a {
    pieces.iter().enumerate().filter(move |(_, p)| {
        p.associated_to
            .and_then(|a| pieces.get(a))
            .is_some_and(|projet| {
                matches!(projet.cadre, Cadre::A4 | Cadre::A10 | Cadre::A13)
                    && same_number(&projet.number, projet_number)
            })
    })
}

fn same(expected: &Option<String>, actual: &str) -> bool {
    expected.as_ref().is_none_or(|e| e.trim() == actual.trim())
}

fn same_number(actual: &str, expected: &str) -> bool {
    actual.trim().eq_ignore_ascii_case(expected.trim())
}
