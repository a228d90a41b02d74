// TaskTypeRegistry with the built-in types: every wrong field named (nested pipeline steps
// included), defaults filled in, unknown types refused, factories and default titles.
#include "app/core/tasktyperegistry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in a test row: %s", text);
    return doc.object();
}
} // namespace

class tst_TaskTypeRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void builtinTypes();
    void defaultsFilled_data();
    void defaultsFilled();
    void invalidParams_data();
    void invalidParams();
    void unknownType();
    void emptyTextIsRequired_data();
    void emptyTextIsRequired();
    void createEachType();
    void defaultTitles();
    void warnings_data();
    void warnings();

private:
    TaskTypeRegistry m_registry;
};

void tst_TaskTypeRegistry::initTestCase()
{
    registerBuiltinTaskTypes(m_registry);
}

void tst_TaskTypeRegistry::builtinTypes()
{
    QStringList names;
    for (const TaskType *t : m_registry.types()) {
        names.append(t->name);
        QVERIFY(!t->title.isEmpty());
        QVERIFY(!t->description.isEmpty());
        QVERIFY(t->create);
        QVERIFY(t->defaultTitle);
        QCOMPARE(t->schema.value(u"type"_s).toString(), u"object"_s);
        const QJsonObject properties = t->schema.value(u"properties"_s).toObject();
        QVERIFY(!properties.isEmpty());
        for (const QJsonValue &p : properties) {
            QVERIFY(!p.toObject().value(u"type"_s).toString().isEmpty());
            QVERIFY(!p.toObject().value(u"title"_s).toString().isEmpty());
        }
        const QJsonObject asJson = t->toJson();
        QCOMPARE(asJson.value(u"name"_s).toString(), t->name);
        QCOMPARE(asJson.value(u"schema"_s).toObject(), t->schema);
        QCOMPARE(asJson.value(u"external"_s), QJsonValue(false));
    }
    // A type another program runs says so, so forms do not offer it as a pipeline step.
    TaskType celery;
    celery.name = u"celery"_s;
    QCOMPARE(celery.toJson().value(u"external"_s), QJsonValue(true));
    QCOMPARE(names,
             (QStringList { u"checksum"_s, u"command"_s, u"copy"_s, u"demo"_s, u"pipeline"_s }));
}

void tst_TaskTypeRegistry::defaultsFilled_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QJsonObject>("expected");
    QTest::newRow("demo empty") << u"demo"_s << QJsonObject()
                                << json(R"({"steps": 10, "delay_ms": 1000, "fail_at_step": null})");
    QTest::newRow("demo partial") << u"demo"_s << json(R"({"steps": 3, "fail_at_step": 2})")
                                  << json(R"({"steps": 3, "delay_ms": 1000, "fail_at_step": 2})");
    QTest::newRow("demo zero steps")
        << u"demo"_s << json(R"({"steps": 0, "delay_ms": 0})")
        << json(R"({"steps": 0, "delay_ms": 0, "fail_at_step": null})");
    QTest::newRow("checksum") << u"checksum"_s << json(R"({"path": "/x"})")
                              << json(R"({"path": "/x", "algorithm": "sha256"})");
    QTest::newRow("copy") << u"copy"_s << json(R"({"source": "/a", "destination": "/b"})")
                          << json(R"({"source": "/a", "destination": "/b", "overwrite": false})");
    QTest::newRow("command")
        << u"command"_s << json(R"({"program": "ls"})")
        << json(R"({"program": "ls", "arguments": [], "working_directory": null})");
    QTest::newRow("pipeline")
        << u"pipeline"_s
        << json(
               R"({"steps": [{"type": "demo"}, {"label": "x", "type": "checksum", "params": {"path": "/x"}}]})")
        << json(
               R"({"steps": [{"type": "demo"}, {"label": "x", "type": "checksum", "params": {"path": "/x"}}]})");
}

void tst_TaskTypeRegistry::defaultsFilled()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, params);
    QFETCH(QJsonObject, expected);
    const Result<QJsonObject> result = m_registry.validate(type, params);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    QCOMPARE(result.value(), expected);
}

void tst_TaskTypeRegistry::invalidParams_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QStringList>("fields");

    QTest::newRow("demo wrong types and unknown")
        << u"demo"_s << json(R"({"steps": "ten", "delay_ms": -1, "bogus": 1})")
        << QStringList { u"params.bogus"_s, u"params.delay_ms"_s, u"params.steps"_s };
    QTest::newRow("demo fraction")
        << u"demo"_s << json(R"({"steps": 1.5})") << QStringList { u"params.steps"_s };
    QTest::newRow("demo fail after the end")
        << u"demo"_s << json(R"({"steps": 3, "fail_at_step": 5})")
        << QStringList { u"params.fail_at_step"_s };
    QTest::newRow("demo fail at zero") << u"demo"_s << json(R"({"steps": 3, "fail_at_step": 0})")
                                       << QStringList { u"params.fail_at_step"_s };
    QTest::newRow("checksum no path")
        << u"checksum"_s << QJsonObject() << QStringList { u"params.path"_s };
    QTest::newRow("checksum null path")
        << u"checksum"_s << json(R"({"path": null})") << QStringList { u"params.path"_s };
    QTest::newRow("checksum empty path, bad algorithm")
        << u"checksum"_s << json(R"({"path": "", "algorithm": "sha512"})")
        << QStringList { u"params.algorithm"_s, u"params.path"_s };
    QTest::newRow("copy") << u"copy"_s << json(R"({"source": 1, "overwrite": "yes"})")
                          << QStringList { u"params.destination"_s, u"params.overwrite"_s,
                                           u"params.source"_s };
    QTest::newRow("command") << u"command"_s
                             << json(R"({"arguments": ["a", 2, null], "working_directory": 5})")
                             << QStringList { u"params.arguments[1]"_s, u"params.arguments[2]"_s,
                                              u"params.program"_s, u"params.working_directory"_s };
    QTest::newRow("command arguments not a list")
        << u"command"_s << json(R"({"program": "ls", "arguments": "-l"})")
        << QStringList { u"params.arguments"_s };
    QTest::newRow("pipeline no steps")
        << u"pipeline"_s << QJsonObject() << QStringList { u"params.steps"_s };
    QTest::newRow("pipeline empty")
        << u"pipeline"_s << json(R"({"steps": []})") << QStringList { u"params.steps"_s };
    QTest::newRow("pipeline step not an object")
        << u"pipeline"_s << json(R"({"steps": [1]})") << QStringList { u"params.steps[0]"_s };
    QTest::newRow("pipeline in pipeline")
        << u"pipeline"_s
        << json(R"({"steps": [{"type": "pipeline", "params": {"steps": [{"type": "demo"}]}}]})")
        << QStringList { u"params.steps[0].type"_s };
    QTest::newRow("pipeline unknown step type")
        << u"pipeline"_s << json(R"({"steps": [{"type": "demo"}, {"type": "nope"}]})")
        << QStringList { u"params.steps[1].type"_s };
    QTest::newRow("pipeline step missing type, bad label")
        << u"pipeline"_s << json(R"({"steps": [{"label": 3}]})")
        << QStringList { u"params.steps[0].label"_s, u"params.steps[0].type"_s };
    QTest::newRow("pipeline nested params")
        << u"pipeline"_s
        << json(R"({"steps": [{"label": "a", "type": "checksum", "params": {"algorithm": "x"}},
                               {"type": "demo", "extra": 1},
                               {"type": "demo", "params": {"steps": -1, "delay_ms": "slow"}},
                               {"type": "copy", "params": "oops"}]})")
        << QStringList { u"params.steps[0].params.algorithm"_s,
                         u"params.steps[0].params.path"_s,
                         u"params.steps[1].extra"_s,
                         u"params.steps[2].params.delay_ms"_s,
                         u"params.steps[2].params.steps"_s,
                         u"params.steps[3].params"_s };
}

void tst_TaskTypeRegistry::invalidParams()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, params);
    QFETCH(QStringList, fields);

    const Result<QJsonObject> result = m_registry.validate(type, params);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, u"invalid_params"_s);
    QStringList named;
    for (const FieldError &e : result.error().fields) {
        named.append(e.field);
        QVERIFY2(!e.message.isEmpty(), qPrintable(e.field));
        // The summary message names every field too.
        QVERIFY2(result.error().message.contains(e.field), qPrintable(result.error().message));
    }
    named.sort();
    QCOMPARE(named, fields);
}

// A required text left out and one sent empty get the same words: the window's dialog sends
// "", the page leaves the field out, and both say "This parameter is required." (issue 14, 6).
void tst_TaskTypeRegistry::emptyTextIsRequired_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::newRow("left out") << QJsonObject();
    QTest::newRow("empty") << json(R"({"path": ""})");
}

void tst_TaskTypeRegistry::emptyTextIsRequired()
{
    QFETCH(QJsonObject, params);
    const Result<QJsonObject> result = m_registry.validate(u"checksum"_s, params);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().fields.size(), 1);
    QCOMPARE(result.error().fields.at(0).field, u"params.path"_s);
    QCOMPARE(result.error().fields.at(0).message, u"This parameter is required."_s);
}

void tst_TaskTypeRegistry::unknownType()
{
    const Result<QJsonObject> result = m_registry.validate(u"frobnicate"_s, {});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, u"unknown_type"_s);
    QCOMPARE(result.error().fields.size(), 1);
    QCOMPARE(result.error().fields.at(0).field, u"type"_s);
    QVERIFY(result.error().message.contains(u"frobnicate"_s));
    QVERIFY(result.error().message.contains(u"checksum"_s)); // lists the known ones
    QVERIFY(!m_registry.create(u"frobnicate"_s, {}));
}

void tst_TaskTypeRegistry::createEachType()
{
    const QList<std::pair<QString, QJsonObject>> valid {
        { u"demo"_s, {} },
        { u"checksum"_s, json(R"({"path": "/x"})") },
        { u"copy"_s, json(R"({"source": "/a", "destination": "/b"})") },
        { u"command"_s, json(R"({"program": "true"})") },
        { u"pipeline"_s, json(R"({"steps": [{"type": "demo"}]})") },
    };
    for (const auto &[type, params] : valid) {
        const Result<QJsonObject> checked = m_registry.validate(type, params);
        QVERIFY2(checked.ok(), qPrintable(type));
        QVERIFY2(m_registry.create(type, checked.value()), qPrintable(type));
    }
}

void tst_TaskTypeRegistry::defaultTitles()
{
    const auto title = [this](const QString &type, const char *params) {
        const TaskType *t = m_registry.find(type);
        return t->defaultTitle(m_registry.validate(type, json(params)).value());
    };
    QCOMPARE(title(u"demo"_s, R"({"steps": 3})"), u"Demo (3 steps)"_s);
    QCOMPARE(title(u"checksum"_s, R"({"path": "/srv/images/debian.iso"})"),
             u"Checksum of debian.iso"_s);
    QCOMPARE(title(u"copy"_s, R"({"source": "/a/payload", "destination": "/opt/app"})"),
             u"Copy payload to /opt/app"_s);
    QCOMPARE(title(u"command"_s, R"({"program": "/usr/bin/rsync", "arguments": ["-a", "x", "y"]})"),
             u"Run rsync -a x y"_s);
    QCOMPARE(
        title(
            u"pipeline"_s,
            R"({"steps": [{"label": "Copy", "type": "demo"}, {"label": "Verify", "type": "demo"}]})"),
        u"Pipeline: Copy → Verify"_s);
}

void tst_TaskTypeRegistry::warnings_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("params"); // "@" stands for a folder holding a file "f" and "d/"
    QTest::addColumn<QStringList>("warned");

    QTest::newRow("checksum exists") << u"checksum"_s << uR"({"path": "@/f"})"_s << QStringList();
    QTest::newRow("checksum missing")
        << u"checksum"_s << uR"({"path": "@/nope"})"_s << QStringList { u"params.path"_s };
    QTest::newRow("checksum of a folder")
        << u"checksum"_s << uR"({"path": "@/d"})"_s << QStringList { u"params.path"_s };
    QTest::newRow("copy tree") << u"copy"_s << uR"({"source": "@/d", "destination": "@/new"})"_s
                               << QStringList();
    // The destination is written, never warned about; the source is read.
    QTest::newRow("copy missing source")
        << u"copy"_s << uR"({"source": "@/gone", "destination": "@/gone2"})"_s
        << QStringList { u"params.source"_s };
    QTest::newRow("command working directory is a file")
        << u"command"_s << uR"({"program": "true", "working_directory": "@/f"})"_s
        << QStringList { u"params.working_directory"_s };
    QTest::newRow("demo") << u"demo"_s << u"{}"_s << QStringList();
    QTest::newRow("pipeline names the step")
        << u"pipeline"_s
        << uR"({"steps": [{"type": "demo"}, {"type": "copy", "params": {"source": "@/x", "destination": "@/y"}}]})"_s
        << QStringList { u"params.steps[1].params.source"_s };
    // A path an earlier step writes (or a path inside it) is made by then.
    QTest::newRow("pipeline reads what a step wrote")
        << u"pipeline"_s
        << uR"({"steps": [{"type": "copy", "params": {"source": "@/d", "destination": "@/out"}},
                          {"type": "checksum", "params": {"path": "@/out/d/g"}},
                          {"type": "checksum", "params": {"path": "@/other"}}]})"_s
        << QStringList { u"params.steps[2].params.path"_s };
}

void tst_TaskTypeRegistry::warnings()
{
    QFETCH(QString, type);
    QFETCH(QString, params);
    QFETCH(QStringList, warned);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"f"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(QDir(dir.path()).mkdir(u"d"_s));

    const QJsonObject json
        = QJsonDocument::fromJson(QString(params).replace(u'@', dir.path()).toUtf8()).object();
    const Result<QJsonObject> checked = m_registry.validate(type, json);
    QVERIFY2(checked.ok(), qPrintable(checked.ok() ? QString() : checked.error().message));
    QStringList named;
    for (const FieldError &w : m_registry.warnings(type, checked.value())) {
        named.append(w.field);
        QVERIFY(!w.message.isEmpty());
    }
    QCOMPARE(named, warned);
}

QTEST_GUILESS_MAIN(tst_TaskTypeRegistry)
#include "tst_tasktyperegistry.moc"
