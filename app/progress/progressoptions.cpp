#include "progressoptions.h"

#include <QCoreApplication>

#include <functional>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ProgressOptions", text);
}

using Setter = std::function<bool(ProgressOptions &o, const QString &value, QString *error)>;

struct OptionRule
{
    QStringView name;
    bool takesValue;
    Setter set;
};

Setter flag(bool ProgressOptions::*member)
{
    return [member](ProgressOptions &o, const QString &, QString *) {
        o.*member = true;
        return true;
    };
}

Setter text(QString ProgressOptions::*member)
{
    return [member](ProgressOptions &o, const QString &v, QString *) {
        o.*member = v;
        return true;
    };
}

Setter whole(int ProgressOptions::*member, QStringView name)
{
    return [member, name](ProgressOptions &o, const QString &v, QString *error) {
        bool ok = false;
        const int n = v.toInt(&ok);
        if (!ok || n < 0) {
            *error = tr("--%1 needs a whole number of at least 0, not \"%2\".")
                         .arg(name.toString(), v);
            return false;
        }
        o.*member = n;
        return true;
    };
}

Setter ignored()
{
    return [](ProgressOptions &, const QString &, QString *) { return true; };
}

QStringList splitList(const QString &v)
{
    QStringList out;
    for (const QString &s : v.split(u',')) {
        if (!s.trimmed().isEmpty())
            out.append(s.trimmed());
    }
    return out;
}

const QList<OptionRule> &rules()
{
    static const QList<OptionRule> list {
        // zenity --progress
        { u"title", true, text(&ProgressOptions::title) },
        { u"text", true, text(&ProgressOptions::text) },
        { u"percentage", true,
          [](ProgressOptions &o, const QString &v, QString *error) {
              bool ok = false;
              const double p = QString(v).replace(u',', u'.').toDouble(&ok);
              if (!ok) {
                  *error = tr("--percentage needs a number from 0 to 100, not \"%1\".").arg(v);
                  return false;
              }
              o.percentage = std::clamp(p, 0.0, 100.0);
              return true;
          } },
        { u"pulsate", false, flag(&ProgressOptions::pulsate) },
        { u"auto-close", false, flag(&ProgressOptions::autoClose) },
        { u"auto-kill", false, flag(&ProgressOptions::autoKill) },
        { u"no-cancel", false, flag(&ProgressOptions::noCancel) },
        { u"time-remaining", false, flag(&ProgressOptions::timeRemaining) },
        { u"width", true, whole(&ProgressOptions::width, u"width") },
        { u"height", true, whole(&ProgressOptions::height, u"height") },
        { u"timeout", true, whole(&ProgressOptions::timeoutSeconds, u"timeout") },
        { u"ok-label", true, text(&ProgressOptions::okLabel) },
        { u"cancel-label", true, text(&ProgressOptions::cancelLabel) },
        { u"modal", false, flag(&ProgressOptions::modal) },
        { u"window-icon", true, text(&ProgressOptions::windowIcon) },
        // zenity's general options that mean nothing to a window of its own
        { u"progress", false, ignored() },
        { u"attach", true, ignored() },
        { u"display", true, ignored() },
        { u"class", true, ignored() },
        { u"name", true, ignored() },
        { u"gtk-module", true, ignored() },
        { u"icon", true, ignored() },
        { u"icon-name", true, ignored() },
        { u"extra-button", true, ignored() },
        { u"no-markup", false, ignored() },
        { u"no-wrap", false, ignored() },
        { u"ellipsize", false, ignored() },
        // Headway's own
        { u"parse", true,
          [](ProgressOptions &o, const QString &v, QString *error) {
              const std::optional<ProgressFormat> f = ProgressLineParser::formatFromName(v);
              if (!f) {
                  *error = tr("--parse takes one of %1, not \"%2\".")
                               .arg(ProgressLineParser::formatNames(), v);
                  return false;
              }
              o.format = *f;
              return true;
          } },
        { u"bar", true,
          [](ProgressOptions &o, const QString &v, QString *) {
              // yad's LABEL[:TYPE]; of the types only "pulse" changes anything here.
              QString label = v;
              bool pulse = false;
              const qsizetype colon = v.lastIndexOf(u':');
              if (colon >= 0) {
                  const QString type = v.mid(colon + 1);
                  if (type == u"norm" || type == u"rtl" || type == u"pulse" || type == u"cpulse"
                      || type == u"perm") {
                      label = v.left(colon);
                      pulse = type == u"pulse" || type == u"cpulse";
                  }
              }
              o.bars.append(label);
              o.barPulsate.append(pulse);
              return true;
          } },
        { u"steps", true,
          [](ProgressOptions &o, const QString &v, QString *) {
              o.steps = splitList(v);
              return true;
          } },
        { u"log", false, flag(&ProgressOptions::log) },
        { u"fail-on-early-eof", false, flag(&ProgressOptions::failOnEarlyEof) },
        { u"json", false, flag(&ProgressOptions::json) },
        { u"no-register", false, flag(&ProgressOptions::noRegister) },
        { u"data-dir", true,
          [](ProgressOptions &o, const QString &v, QString *) {
              o.dataDir = v;
              return true;
          } },
    };
    return list;
}
} // namespace

std::optional<ProgressOptions> ProgressOptions::parse(const QStringList &args, QString *error)
{
    ProgressOptions o;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == u"--") {
            o.command = args.mid(i + 1);
            if (o.command.isEmpty()) {
                *error = tr("\"--\" must be followed by a command to run.");
                return std::nullopt;
            }
            break;
        }
        if (!arg.startsWith(u"--")) {
            *error
                = tr("unexpected argument \"%1\" (a command to run goes after \"--\").").arg(arg);
            return std::nullopt;
        }
        const qsizetype eq = arg.indexOf(u'=');
        const QString name = arg.mid(2, eq < 0 ? -1 : eq - 2);
        const auto rule = std::find_if(rules().cbegin(), rules().cend(),
                                       [&name](const OptionRule &r) { return r.name == name; });
        if (rule == rules().cend()) {
            *error = tr("unknown option --%1.").arg(name);
            return std::nullopt;
        }
        QString value;
        if (rule->takesValue) {
            if (eq >= 0) {
                value = arg.mid(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.at(++i);
            } else {
                *error = tr("--%1 needs a value.").arg(name);
                return std::nullopt;
            }
        } else if (eq >= 0) {
            *error = tr("--%1 takes no value.").arg(name);
            return std::nullopt;
        }
        if (!rule->set(o, value, error))
            return std::nullopt;
    }
    if (o.title.isEmpty())
        o.title = tr("Progress");
    return o;
}

QString ProgressOptions::helpText()
{
    return tr(
        "Usage: headway progress [OPTIONS] [-- COMMAND [ARGS]...]\n"
        "A progress window that reads zenity's input from stdin, or runs COMMAND (no shell) "
        "and reads its stdout.\n"
        "Input lines: N (percent, 0-100), #TEXT, pulsate:true|false, step:N|LABEL, and with "
        "--bar: N:VALUE, N:#TEXT.\n\n"
        "  --title=TEXT          window title\n"
        "  --text=TEXT           text above the bar\n"
        "  --percentage=N        initial percent\n"
        "  --pulsate             pulsate until a percent arrives\n"
        "  --auto-close          exit 0 when the bar reaches 100 % (or the input ends)\n"
        "  --auto-kill           on Cancel, send SIGHUP to the parent process too\n"
        "  --no-cancel           no Cancel button; the window cannot be closed\n"
        "  --time-remaining      show a smoothed estimate of the time left\n"
        "  --width=N --height=N  window size\n"
        "  --timeout=SECONDS     exit 5 after this long\n"
        "  --ok-label=TEXT --cancel-label=TEXT --window-icon=FILE|NAME --modal\n"
        "  --parse=zenity|apt|percent  input grammar (apt: APT::Status-Fd lines; percent: the "
        "last NN% of each line)\n"
        "  --bar=LABEL           one more bar (repeat); input N:VALUE and N:#TEXT\n"
        "  --steps=A,B,C         a step indicator; input step:N or step:LABEL\n"
        "  --log                 other lines go to a Details log\n"
        "  --fail-on-early-eof   end of input before 100 % exits 3\n"
        "  --json                one JSON line per change on stdout\n"
        "  --no-register         do not show the progress in a running Headway (also with "
        "HEADWAY_NO_REGISTER=1)\n"
        "  --data-dir=DIR        the Headway to show it in: the one serving DIR (default: "
        "HEADWAY_DATA_DIR, else the user's)\n\n"
        "Exit status: 0 OK or done, 1 canceled, 3 early end of input (--fail-on-early-eof), 5 "
        "timeout, 2 bad option; with COMMAND: the command's status, 127 when it cannot start.\n"
        "Without a display: a bar on stderr when it is a terminal, plain lines otherwise.");
}
