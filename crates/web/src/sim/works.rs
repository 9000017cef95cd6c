//! « Factures de travaux »: the dossier de facturation (A4 → A15 → A19; at the end of the
//! contract A7 → A17 → A20 → A8, or the tacit route A22 → A23), the role the learner plays,
//! and the steps that role may take.

use didact_sim::invoice::works::TITULAIRE_VALIDATION_DAYS;
use didact_sim::invoice::{
    Amount, BillingDossier, Cadre, VatRate, WorksError, WorksPiece, WorksStatus,
};
use didact_sim::records::{WorksDossier, WorksRole};
use didact_sim::{Action, FieldError};
use web_sys::Element;

use super::dom::{enum_value, parse_enum, set, Field};
use super::{Ctx, Values};

const RULE_REFUSAL: &str = "Un refus arrête le circuit de facturation de la pièce : il s’explique par un motif. Un désaccord sur le montant ne se refuse pas, il se corrige dans la pièce suivante.";
const RULE_AMOUNT: &str = "Un montant s’écrit en chiffres, avec une virgule décimale et au plus deux décimales (ex. : 8 200,00).";

/// The action of a works form; an amount that cannot be read is an error on its field.
pub fn action(kind: &str, values: &Values) -> Option<Result<Action, Vec<FieldError>>> {
    let dossier_id = values.get("dossier_id").parse().unwrap_or(0);
    let index = |name: &str| values.get(name).parse::<usize>().unwrap_or(usize::MAX);
    let amount = || {
        Amount::parse_fr(&values.get("amount_ht")).map_err(|error| {
            vec![FieldError::new(
                "amount_ht",
                error.code(),
                error.message_fr(),
                RULE_AMOUNT,
            )]
        })
    };
    Some(match kind {
        "switch_works_role" => match parse_enum::<WorksRole>(&values.get("role")) {
            Some(role) => Ok(Action::SwitchWorksRole { dossier_id, role }),
            None => Err(vec![FieldError::new(
                "role",
                "works-role-required",
                "Choisissez un rôle.",
                "Chaque acteur d’un marché de travaux (titulaire, MOE, MOA) dépose ses propres pièces.",
            )]),
        },
        "deposit_works_piece" => amount().map(|amount_ht| Action::DepositWorksPiece {
            dossier_id,
            cadre: parse_enum::<Cadre>(&values.get("cadre")).unwrap_or(Cadre::A4),
            number: values.get("numero"),
            amount_ht,
            vat_rate: parse_enum::<VatRate>(&values.get("vat_rate")).unwrap_or(VatRate::Normal),
        }),
        "create_etat_acompte" => amount().map(|amount_ht| Action::CreateEtatAcompte {
            dossier_id,
            projet_id: index("piece_id"),
            number: values.get("numero"),
            amount_ht,
        }),
        "validate_etat_acompte" => amount().map(|amount_ht| Action::ValidateEtatAcompte {
            dossier_id,
            etat_id: index("piece_id"),
            number: values.get("numero"),
            amount_ht,
        }),
        "validate_works_piece" => Ok(Action::ValidateWorksPiece {
            dossier_id,
            piece_id: index("piece_id"),
        }),
        "refuse_works_piece" => {
            let reason = values.get("motif");
            if reason.trim().is_empty() {
                Err(vec![FieldError::new(
                    "motif",
                    "works-reason-required",
                    WorksError::ReasonRequired.message_fr(),
                    RULE_REFUSAL,
                )])
            } else {
                Ok(Action::RefuseWorksPiece {
                    dossier_id,
                    piece_id: index("piece_id"),
                    reason,
                })
            }
        }
        "create_projet_decompte_general" => {
            amount().map(|amount_ht| Action::CreateProjetDecompteGeneral {
                dossier_id,
                final_id: index("piece_id"),
                number: values.get("numero"),
                amount_ht,
            })
        }
        "notify_decompte_general" => amount().map(|amount_ht| Action::NotifyDecompteGeneral {
            dossier_id,
            projet_id: index("piece_id"),
            number: values.get("numero"),
            amount_ht,
        }),
        "sign_decompte_general" => Ok(Action::SignDecompteGeneral {
            dossier_id,
            decompte_id: index("piece_id"),
            number: values.get("numero"),
            reserves: values.get("reserves"),
        }),
        "refuse_decompte_general" => Ok(Action::RefuseDecompteGeneral {
            dossier_id,
            decompte_id: index("piece_id"),
            reason: values.get("motif"),
        }),
        "send_projet_decompte_tacite" => {
            amount().map(|amount_ht| Action::SendProjetDecompteTacite {
                dossier_id,
                final_id: index("piece_id"),
                number: values.get("numero"),
                amount_ht,
            })
        }
        "deposit_dgd_tacite" => Ok(Action::DepositDgdTacite {
            dossier_id,
            projet_id: index("piece_id"),
            number: values.get("numero"),
        }),
        _ => return None,
    })
}

/// « Factures de travaux ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Factures de travaux");
    if !ctx.require_login(parent) {
        return;
    }
    if ctx.world.works.is_empty() {
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "Aucun marché de travaux dans cet exercice.",
        );
        return;
    }
    for works in &ctx.world.works {
        render_dossier(ctx, parent, works);
    }
}

fn render_dossier(ctx: &Ctx, parent: &Element, works: &WorksDossier) {
    let dom = ctx.dom;
    let card = dom.add(parent, "div", "sim-card");
    set(&card, "data-dossier", &works.id.to_string());
    dom.add_text(&card, "h4", "", &works.name);
    let dossier = &works.dossier;
    let name = |siret: &str| {
        ctx.world
            .structure(siret)
            .map(|s| s.raison_sociale.clone())
            .or_else(|| ctx.world.public_structure(siret).map(|p| p.name.clone()))
            .or_else(|| {
                ctx.world
                    .register_entry(siret)
                    .map(|r| r.raison_sociale.clone())
            })
            .unwrap_or_else(|| siret.to_owned())
    };
    let list = dom.add(&card, "ul", "");
    dom.add_text(
        &list,
        "li",
        "",
        &format!("Titulaire : {}", name(&dossier.titulaire_siret)),
    );
    if let Some(moe) = &dossier.moe_siret {
        dom.add_text(
            &list,
            "li",
            "",
            &format!("Maîtrise d’œuvre : {}", name(moe)),
        );
    }
    dom.add_text(
        &list,
        "li",
        "",
        &format!("Maîtrise d’ouvrage : {}", name(&dossier.moa_siret)),
    );
    let id = works.id.to_string();

    let role_text = match works.current_role {
        Some(role) => format!("Vous agissez comme {}.", role.label()),
        None => "Choisissez le rôle dans lequel vous agissez.".to_owned(),
    };
    let role_line = dom.add_text(&card, "p", "sim-status", &role_text);
    set(
        &role_line,
        "data-works-role",
        &works
            .current_role
            .map(|r| enum_value(&r))
            .unwrap_or_default(),
    );
    let form = dom.form(&card, "switch_works_role", "");
    set(&form, "class", "sim-form sim-inline");
    dom.hidden(&form, "dossier_id", &id);
    let roles: Vec<(String, String)> = works
        .learner_roles
        .iter()
        .map(|r| (enum_value(r), r.label().to_owned()))
        .collect();
    dom.select(
        &form,
        Field::new("role", "Rôle").value(
            &works
                .current_role
                .map(|r| enum_value(&r))
                .unwrap_or_default(),
        ),
        &roles,
    );
    dom.submit(&form, "Changer de rôle", "");

    let body = dom.table(
        &card,
        "Dossier de facturation",
        &[
            "Pièce",
            "Numéro",
            "Montant HT",
            "TVA",
            "Déposée le",
            "Statut",
            "Associée à",
        ],
    );
    for piece in &dossier.pieces {
        let associated = piece
            .associated_to
            .and_then(|idx| dossier.pieces.get(idx))
            .map(|p| p.number.clone())
            .unwrap_or_default();
        let row = dom.row_of(
            &body,
            &[
                &format!("{} — {}", piece.cadre.code(), piece.cadre.label()),
                &piece.number,
                &piece.amount_ht.to_fr_string(),
                piece.vat_rate.label(),
                &piece.deposited_on.to_fr_string(),
                piece.status.label(),
                &associated,
            ],
        );
        set(&row, "data-piece", &piece.number);
    }

    match works.current_role {
        Some(WorksRole::Titulaire) => {
            render_titulaire_validation(ctx, &card, dossier, &id);
            let form = dom.form(
                &card,
                "deposit_works_piece",
                "Déposer une pièce (titulaire)",
            );
            dom.hidden(&form, "dossier_id", &id);
            let cadres: Vec<(String, String)> = [Cadre::A4, Cadre::A5, Cadre::A7]
                .iter()
                .map(|c| (enum_value(c), format!("{} — {}", c.code(), c.label())))
                .collect();
            dom.select(&form, Field::new("cadre", "Cadre").value("A4"), &cadres);
            dom.input(&form, Field::new("numero", "Numéro de la pièce").required());
            dom.input(&form, Field::new("amount_ht", "Montant HT (€)").required());
            let rates: Vec<(String, String)> = VatRate::ALL
                .iter()
                .map(|r| (enum_value(r), r.label().to_owned()))
                .collect();
            dom.select(
                &form,
                Field::new("vat_rate", "Taux de TVA").value("10"),
                &rates,
            );
            dom.submit(&form, "Déposer la pièce", "primary");
            render_titulaire_end_of_contract(ctx, &card, dossier, &id);
        }
        Some(role @ (WorksRole::Moe | WorksRole::Moa)) => {
            let waiting = if role == WorksRole::Moe {
                WorksStatus::MiseADispositionMoe
            } else {
                WorksStatus::MiseADispositionMoa
            };
            let mut any = false;
            for (idx, piece) in dossier.pieces.iter().enumerate() {
                if piece.status != waiting {
                    continue;
                }
                any = true;
                let (kind, legend) = match (role, piece.cadre) {
                    (WorksRole::Moe, Cadre::A7) => (
                        "create_projet_decompte_general",
                        "Déposer le projet de décompte général (A17) à partir de la pièce",
                    ),
                    (WorksRole::Moe, _) => (
                        "create_etat_acompte",
                        "Déposer l’état d’acompte (A15) à partir de la pièce",
                    ),
                    (_, Cadre::A17 | Cadre::A22) => (
                        "notify_decompte_general",
                        "Notifier le décompte général (A20) à partir de la pièce",
                    ),
                    _ => (
                        "validate_etat_acompte",
                        "Déposer l’état d’acompte validé (A19) à partir de la pièce",
                    ),
                };
                if let Some(deadline) = dossier.tacit_deadline(idx) {
                    dom.add_text(
                        &card,
                        "p",
                        "sim-note",
                        &format!(
                            "Procédure tacite : sans décompte général notifié d’ici le {deadline}, le projet {} devient un décompte général et définitif tacite.",
                            piece.number
                        ),
                    );
                }
                let form = dom.form(&card, kind, &format!("{legend} {}", piece.number));
                set(&form, "data-for-piece", &piece.number);
                dom.hidden(&form, "dossier_id", &id);
                dom.hidden(&form, "piece_id", &idx.to_string());
                dom.input(&form, Field::new("numero", "Numéro").required());
                dom.input(
                    &form,
                    Field::new("amount_ht", "Montant HT accepté (€)")
                        .value(&piece.amount_ht.to_fr_number())
                        .required(),
                );
                dom.submit(&form, "Déposer", "primary");
                let form = dom.form(&card, "refuse_works_piece", "");
                set(&form, "class", "sim-form sim-inline");
                dom.hidden(&form, "dossier_id", &id);
                dom.hidden(&form, "piece_id", &idx.to_string());
                dom.input(
                    &form,
                    Field::new("motif", &format!("Motif du refus de {}", piece.number)),
                );
                dom.submit(&form, "Refuser la pièce", "");
            }
            if !any {
                dom.add_text(
                    &card,
                    "p",
                    "sim-note",
                    "Aucune pièce n’attend votre action dans ce rôle.",
                );
            }
        }
        None => {}
    }
}

/// The pieces waiting for the titulaire's validation (a sous-traitant's A10): validate one,
/// and it goes on to the MOE, or refuse it with a reason. Without an answer within 15 days,
/// the clock validates it tacitly.
fn render_titulaire_validation(ctx: &Ctx, card: &Element, dossier: &BillingDossier, id: &str) {
    let dom = ctx.dom;
    for (idx, piece) in dossier.pieces.iter().enumerate() {
        if piece.status != WorksStatus::AValiderTitulaire {
            continue;
        }
        let deadline = piece.status_since.add_days(TITULAIRE_VALIDATION_DAYS);
        let form = dom.form(
            card,
            "validate_works_piece",
            &format!(
                "Pièce à valider : {} — {} n° {}",
                piece.cadre.code(),
                piece.cadre.label(),
                piece.number
            ),
        );
        set(&form, "data-for-piece", &piece.number);
        dom.hidden(&form, "dossier_id", id);
        dom.hidden(&form, "piece_id", &idx.to_string());
        dom.add_text(
            &form,
            "p",
            "sim-note",
            &format!(
                "Montant HT demandé : {} ({}). Sans réponse de votre part d’ici le {deadline} ({TITULAIRE_VALIDATION_DAYS} jours), la pièce est validée tacitement.",
                piece.amount_ht.to_fr_string(),
                piece.vat_rate.label()
            ),
        );
        dom.submit(&form, "Valider", "primary");
        let form = dom.form(card, "refuse_works_piece", "");
        set(&form, "class", "sim-form sim-inline");
        set(&form, "data-for-piece", &piece.number);
        dom.hidden(&form, "dossier_id", id);
        dom.hidden(&form, "piece_id", &idx.to_string());
        dom.input(
            &form,
            Field::new("motif", &format!("Motif du refus de {}", piece.number)).required(),
        );
        dom.submit(&form, "Refuser", "");
    }
}

/// The titulaire's end-of-contract steps: sign or refuse a décompte général (A20), take the
/// tacit route from a projet de décompte final (A22), deposit a DGD tacite (A23).
fn render_titulaire_end_of_contract(ctx: &Ctx, card: &Element, dossier: &BillingDossier, id: &str) {
    let dom = ctx.dom;
    let piece_form = |kind: &str, legend: &str, idx: usize, piece: &WorksPiece| {
        let form = dom.form(card, kind, &format!("{legend} {}", piece.number));
        set(&form, "data-for-piece", &piece.number);
        dom.hidden(&form, "dossier_id", id);
        dom.hidden(&form, "piece_id", &idx.to_string());
        form
    };
    for (idx, piece) in dossier.pieces.iter().enumerate() {
        if let Some(deadline) = dossier.decompte_general_deadline(idx) {
            let form = piece_form(
                "sign_decompte_general",
                "Signer le décompte général",
                idx,
                piece,
            );
            dom.add_text(
                &form,
                "p",
                "sim-note",
                &format!("À signer, avec ou sans réserves, ou à refuser au plus tard le {deadline} (30 jours)."),
            );
            dom.input(
                &form,
                Field::new("numero", "Numéro du décompte général et définitif (A8)").required(),
            );
            dom.input(
                &form,
                Field::new(
                    "reserves",
                    "Réserves (laisser vide pour signer sans réserves)",
                ),
            );
            dom.submit(&form, "Signer le décompte général", "primary");
            let form = piece_form("refuse_decompte_general", "", idx, piece);
            set(&form, "class", "sim-form sim-inline");
            dom.input(
                &form,
                Field::new(
                    "motif",
                    &format!("Motif du refus du décompte général {}", piece.number),
                ),
            );
            dom.submit(&form, "Refuser le décompte général", "");
        }
        let chain = || dossier.chain_of_final(idx).into_iter();
        let tacit_possible = piece.cadre == Cadre::A7
            && matches!(
                piece.status,
                WorksStatus::MiseADispositionMoe | WorksStatus::PriseEnCompteMoe
            )
            && !chain().any(|p| matches!(dossier.pieces[p].cadre, Cadre::A20 | Cadre::A22));
        if tacit_possible {
            let form = piece_form(
                "send_projet_decompte_tacite",
                "Procédure tacite : envoyer à la maîtrise d’ouvrage le projet de décompte général signé (A22) issu de la pièce",
                idx,
                piece,
            );
            dom.input(&form, Field::new("numero", "Numéro").required());
            dom.input(
                &form,
                Field::new("amount_ht", "Montant HT (€)")
                    .value(&piece.amount_ht.to_fr_number())
                    .required(),
            );
            dom.submit(&form, "Envoyer le projet de décompte général", "");
        }
        let dgd_pending = piece.cadre == Cadre::A22
            && matches!(
                piece.status,
                WorksStatus::MiseADispositionMoa | WorksStatus::DgdTacite
            )
            && !dossier
                .pieces
                .iter()
                .any(|p| p.cadre == Cadre::A23 && p.associated_to == Some(idx));
        if dgd_pending {
            let form = piece_form(
                "deposit_dgd_tacite",
                "Déposer le décompte général et définitif tacite (A23) issu de la pièce",
                idx,
                piece,
            );
            if let Some(deadline) = dossier.tacit_deadline(idx) {
                dom.add_text(
                    &form,
                    "p",
                    "sim-note",
                    &format!("La maîtrise d’ouvrage peut encore notifier le décompte général jusqu’à la veille du {deadline}."),
                );
            }
            dom.input(&form, Field::new("numero", "Numéro").required());
            dom.submit(&form, "Déposer le DGD tacite", "primary");
        }
    }
}
