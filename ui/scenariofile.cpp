#include "scenariofile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ScreenshotRunner", text);
}

std::optional<Toast::Kind> toastKind(const QString &name)
{
    if (name == u"info")
        return Toast::Kind::Info;
    if (name == u"success")
        return Toast::Kind::Success;
    if (name == u"warning")
        return Toast::Kind::Warning;
    if (name == u"error")
        return Toast::Kind::Error;
    return std::nullopt;
}

// The toast MainWindow shows when a task ends (see MainWindow::onTaskFinished).
std::optional<ScenarioFile::ToastSpec> finishedToast(const TaskSnapshot &task)
{
    ScenarioFile::ToastSpec t;
    t.text = task.title;
    t.action = QCoreApplication::translate("MainWindow", "Show");
    if (task.state == TaskState::Succeeded) {
        t.kind = Toast::Kind::Success;
        t.title = QCoreApplication::translate("MainWindow", "Task succeeded");
    } else if (task.state == TaskState::Failed) {
        t.kind = Toast::Kind::Error;
        t.title = QCoreApplication::translate("MainWindow", "Task failed");
        if (task.error)
            t.text += u": "_s + task.error->message;
    } else {
        return std::nullopt;
    }
    return t;
}

bool checkKeys(const QJsonObject &o, const QStringList &allowed, const QString &where,
               QString *error)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!allowed.contains(it.key())) {
            *error = tr("%1: unknown key \"%2\" (allowed: %3).")
                         .arg(where, it.key(), allowed.join(u", "_s));
            return false;
        }
    }
    return true;
}

} // namespace

QStringList ScenarioFile::viewNames()
{
    return { u"main-window"_s, u"detail-pane"_s,     u"step-indicator"_s,   u"toast"_s,
             u"page"_s,        u"progress-window"_s, u"installer-window"_s, u"new-task-dialog"_s };
}

std::optional<ScenarioFile> ScenarioFile::parse(const QByteArray &json, const QString &path,
                                                QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = tr("%1 is not a JSON object: %2").arg(path, parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    if (!checkKeys(root,
                   { u"name"_s, u"description"_s, u"window"_s, u"theme"_s, u"font"_s, u"locale"_s,
                     u"now"_s, u"select"_s, u"tasks"_s, u"toasts"_s, u"views"_s, u"page"_s,
                     u"progress"_s, u"installer"_s, u"newTask"_s },
                   path, error))
        return std::nullopt;

    ScenarioFile s;
    s.name = root.value(u"name"_s).toString(QFileInfo(path).completeBaseName());
    static const QRegularExpression nameRe(u"^[A-Za-z0-9._-]+$"_s);
    if (!nameRe.match(s.name).hasMatch()) {
        *error = tr("%1: \"name\" may only hold letters, digits, '.', '_' and '-'.").arg(path);
        return std::nullopt;
    }
    if (root.contains(u"window"_s)) {
        const QJsonObject w = root.value(u"window"_s).toObject();
        const int width = w.value(u"width"_s).toInt(-1);
        const int height = w.value(u"height"_s).toInt(-1);
        if (!checkKeys(w, { u"width"_s, u"height"_s }, path + u": window"_s, error))
            return std::nullopt;
        if (width < 200 || height < 150 || width > 8000 || height > 8000) {
            *error = tr("%1: \"window\" needs a width from 200 to 8000 and a height from 150 to "
                        "8000.")
                         .arg(path);
            return std::nullopt;
        }
        s.window = QSize(width, height);
    }
    const QString theme = root.value(u"theme"_s).toString(u"light"_s);
    if (theme != u"light" && theme != u"dark") {
        *error = tr("%1: \"theme\" is \"light\" or \"dark\".").arg(path);
        return std::nullopt;
    }
    s.dark = theme == u"dark";
    if (root.contains(u"font"_s)) {
        const QJsonObject f = root.value(u"font"_s).toObject();
        if (!checkKeys(f, { u"family"_s, u"pointSize"_s }, path + u": font"_s, error))
            return std::nullopt;
        s.fontFamily = f.value(u"family"_s).toString(s.fontFamily);
        s.fontPointSize = f.value(u"pointSize"_s).toDouble(s.fontPointSize);
        if (s.fontPointSize < 5 || s.fontPointSize > 48) {
            *error = tr("%1: \"font.pointSize\" is from 5 to 48.").arg(path);
            return std::nullopt;
        }
    }
    s.locale = root.value(u"locale"_s).toString(s.locale);
    if (root.contains(u"now"_s)) {
        s.now = QDateTime::fromString(root.value(u"now"_s).toString(), Qt::ISODateWithMs);
        if (!s.now.isValid()) {
            *error = tr("%1: \"now\" needs an ISO 8601 date and time.").arg(path);
            return std::nullopt;
        }
    }

    const QJsonArray tasks = root.value(u"tasks"_s).toArray();
    // Default timestamps follow the list order so the list sorts the same way every run.
    const QDateTime base = s.now.addSecs(-3600);
    for (qsizetype i = 0; i < tasks.size(); ++i) {
        QJsonObject t = tasks.at(i).toObject();
        if (!t.contains(u"id"_s))
            t.insert(u"id"_s, u"task-%1"_s.arg(i + 1));
        if (!t.contains(u"created"_s))
            t.insert(u"created"_s, base.addSecs(i * 60).toString(Qt::ISODateWithMs));
        const std::optional<TaskSnapshot> task = TaskSnapshot::fromJson(t);
        if (!task) {
            *error = tr("%1: task %2 needs a valid \"state\" (queued, running, paused, "
                        "succeeded, failed, canceled, interrupted, retrying).")
                         .arg(path)
                         .arg(i + 1);
            return std::nullopt;
        }
        s.tasks.append(*task);
    }
    const auto findTask = [&s](const QString &id) -> const TaskSnapshot * {
        for (const TaskSnapshot &t : std::as_const(s.tasks)) {
            if (t.id == id)
                return &t;
        }
        return nullptr;
    };
    s.select = root.value(u"select"_s).toString();
    if (!s.select.isEmpty() && !findTask(s.select)) {
        *error = tr("%1: \"select\" names no task: %2").arg(path, s.select);
        return std::nullopt;
    }

    const QJsonArray toasts = root.value(u"toasts"_s).toArray();
    for (const QJsonValue &v : toasts) {
        const QJsonObject o = v.toObject();
        if (!checkKeys(o, { u"task"_s, u"kind"_s, u"title"_s, u"text"_s, u"action"_s },
                       path + u": toasts"_s, error))
            return std::nullopt;
        if (o.contains(u"task"_s)) {
            // The toast the window shows when that task ends.
            const TaskSnapshot *t = findTask(o.value(u"task"_s).toString());
            const std::optional<ToastSpec> spec = t ? finishedToast(*t) : std::nullopt;
            if (!spec) {
                *error
                    = tr("%1: a toast's \"task\" must name a succeeded or failed task.").arg(path);
                return std::nullopt;
            }
            s.toasts.append(*spec);
            continue;
        }
        const std::optional<Toast::Kind> kind = toastKind(o.value(u"kind"_s).toString(u"info"_s));
        if (!kind || o.value(u"title"_s).toString().isEmpty()) {
            *error = tr("%1: a toast needs a \"title\" and a \"kind\" (info, success, warning, "
                        "error), or a \"task\".")
                         .arg(path);
            return std::nullopt;
        }
        s.toasts.append({ *kind, o.value(u"title"_s).toString(), o.value(u"text"_s).toString(),
                          o.value(u"action"_s).toString() });
    }

    if (root.contains(u"views"_s)) {
        s.views.clear();
        for (const QJsonValue &v : root.value(u"views"_s).toArray()) {
            const QString view = v.toString();
            if (!viewNames().contains(view)) {
                *error = tr("%1: unknown view \"%2\" (known: %3).")
                             .arg(path, view, viewNames().join(u", "_s));
                return std::nullopt;
            }
            if (!s.views.contains(view))
                s.views.append(view);
        }
        if (s.views.isEmpty()) {
            *error = tr("%1: \"views\" lists no view.").arg(path);
            return std::nullopt;
        }
    }
    if (root.contains(u"page"_s)) {
        if (!s.views.contains(u"page"_s)) {
            *error = tr("%1: \"page\" sets up the \"page\" view: list it in \"views\".").arg(path);
            return std::nullopt;
        }
        const QJsonObject page = root.value(u"page"_s).toObject();
        if (!checkKeys(page, { u"widths"_s, u"height"_s }, path + u": page"_s, error))
            return std::nullopt;
        if (page.contains(u"widths"_s)) {
            s.pageWidths.clear();
            for (const QJsonValue &v : page.value(u"widths"_s).toArray()) {
                const double w = v.toDouble(-1);
                // Range first: int() of a huge double is undefined behaviour.
                if (!(w >= MinPageWidth && w <= MaxPageWidth) || w != int(w)) {
                    *error = tr("%1: \"page.widths\" lists whole numbers of pixels from %2 to "
                                "%3.")
                                 .arg(path)
                                 .arg(MinPageWidth)
                                 .arg(MaxPageWidth);
                    return std::nullopt;
                }
                if (!s.pageWidths.contains(int(w)))
                    s.pageWidths.append(int(w));
            }
            if (s.pageWidths.isEmpty()) {
                *error = tr("%1: \"page.widths\" lists no width.").arg(path);
                return std::nullopt;
            }
        }
        const QJsonValue height = page.value(u"height"_s);
        if (!height.isUndefined() && height != QJsonValue(u"full"_s)) {
            const double h = height.toDouble(-1);
            if (!(h >= 150 && h <= MaxPageHeight) || h != int(h)) {
                *error = tr("%1: \"page.height\" is \"full\" or a whole number of pixels from "
                            "150 to %2.")
                             .arg(path)
                             .arg(MaxPageHeight);
                return std::nullopt;
            }
            s.pageHeight = int(h);
        }
    }
    // The options of the progress view are checked by ScreenshotRunner (ProgressOptions), which
    // keeps this parser free of app/progress for its fuzz target.
    if (s.views.contains(u"progress-window"_s)) {
        const QJsonObject progress = root.value(u"progress"_s).toObject();
        if (!checkKeys(progress, { u"args"_s, u"input"_s }, path + u": progress"_s, error))
            return std::nullopt;
        for (const QJsonValue &v : progress.value(u"args"_s).toArray())
            s.progressArgs.append(v.toString());
        for (const QJsonValue &v : progress.value(u"input"_s).toArray())
            s.progressInput.append(v.toString());
    }
    if (s.views.contains(u"installer-window"_s)) {
        const QJsonObject installer = root.value(u"installer"_s).toObject();
        if (!checkKeys(installer, { u"manifest"_s, u"task"_s }, path + u": installer"_s, error))
            return std::nullopt;
        s.installerManifest = installer.value(u"manifest"_s).toObject();
        s.installerTask = installer.value(u"task"_s).toString();
        if (!findTask(s.installerTask)) {
            *error = tr("%1: the \"installer-window\" view needs \"installer.task\" to name a "
                        "task.")
                         .arg(path);
            return std::nullopt;
        }
    }
    if (s.views.contains(u"new-task-dialog"_s)) {
        const QJsonObject newTask = root.value(u"newTask"_s).toObject();
        if (!checkKeys(newTask, { u"type"_s, u"params"_s, u"start"_s }, path + u": newTask"_s,
                       error))
            return std::nullopt;
        s.newTaskType = newTask.value(u"type"_s).toString(u"demo"_s);
        s.newTaskParams = newTask.value(u"params"_s).toObject();
        s.newTaskStart = newTask.value(u"start"_s).toBool();
    }
    if (s.views.contains(u"toast"_s) && s.toasts.isEmpty()) {
        *error = tr("%1: the \"toast\" view needs at least one entry in \"toasts\".").arg(path);
        return std::nullopt;
    }
    if (s.views.contains(u"step-indicator"_s)) {
        const TaskSnapshot *t = findTask(s.select);
        if (!t || t->progress.steps.isEmpty()) {
            *error = tr("%1: the \"step-indicator\" view needs \"select\" to name a task with "
                        "progress.steps.")
                         .arg(path);
            return std::nullopt;
        }
    }
    return s;
}
