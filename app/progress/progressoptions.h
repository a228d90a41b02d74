#pragma once

#include "app/progress/progressline.h"

#include <QString>
#include <QStringList>

#include <optional>

// The options of `headway progress`: zenity's --progress options in both "--opt=value" and
// "--opt value" forms, zenity's general options that mean nothing here (accepted, ignored),
// and Headway's own (--parse, --bar, --steps, --log, --fail-on-early-eof, --json,
// --no-register, --data-dir, -- COMMAND [ARGS]).
struct ProgressOptions
{
    QString title;
    QString text;
    double percentage = 0;
    bool pulsate = false;
    bool autoClose = false;
    bool autoKill = false;
    bool noCancel = false;
    bool timeRemaining = false;
    int width = 0; // 0 = natural size
    int height = 0;
    int timeoutSeconds = 0; // 0 = none
    QString okLabel;
    QString cancelLabel;
    bool modal = false;
    QString windowIcon;
    ProgressFormat format = ProgressFormat::Zenity;
    QStringList bars; // --bar labels; empty = one unnamed bar
    QList<bool> barPulsate; // --bar LABEL:pulse
    QStringList steps;
    bool log = false;
    bool failOnEarlyEof = false;
    bool json = false;
    bool noRegister = false;
    QString dataDir; // which Headway to register in (the CLI's --data-dir)
    QStringList command; // after "--": program and arguments; empty = read stdin

    // args: what follows "progress" on the command line. nullopt with *error naming the bad
    // option (the caller exits 2).
    static std::optional<ProgressOptions> parse(const QStringList &args, QString *error);
    static QString helpText();
};
