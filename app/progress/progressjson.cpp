#include "progressjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>

using namespace Qt::StringLiterals;

ProgressJson::ProgressJson(ProgressModel &model, FILE *out, QObject *parent)
    : QObject(parent), m_model(model), m_out(out)
{
    connect(&m_model, &ProgressModel::changed, this, [this] { write(stateJson(m_model)); });
    connect(&m_model, &ProgressModel::logAppended, this, [this](const QString &line) {
        write(QJsonObject { { u"log"_s, line } });
    });
    write(stateJson(m_model));
}

QJsonObject ProgressJson::stateJson(const ProgressModel &model)
{
    const QList<ProgressModel::Bar> &bars = model.bars();
    QJsonObject o {
        { u"percent"_s, model.overallPercent() },
        { u"text"_s, model.text() },
        { u"pulsate"_s, bars.constFirst().pulsate },
        { u"state"_s,
          QString::fromLatin1(
              QMetaEnum::fromType<ProgressModel::Outcome>().valueToKey(int(model.outcome())))
              .toLower() },
    };
    if (bars.size() > 1) {
        QJsonArray list;
        for (const ProgressModel::Bar &b : bars) {
            list.append(QJsonObject { { u"label"_s, b.label },
                                      { u"percent"_s, b.percent },
                                      { u"pulsate"_s, b.pulsate },
                                      { u"text"_s, b.text } });
        }
        o.insert(u"bars"_s, list);
    }
    if (!model.steps().isEmpty()) {
        o.insert(u"steps"_s, QJsonArray::fromStringList(model.steps()));
        o.insert(u"step"_s, model.step());
    }
    o.insert(u"eta"_s, model.eta() ? QJsonValue(*model.eta()) : QJsonValue());
    if (!model.outcomeDetail().isEmpty())
        o.insert(u"detail"_s, model.outcomeDetail());
    return o;
}

void ProgressJson::finish(int exitStatus)
{
    QJsonObject o = stateJson(m_model);
    o.insert(u"exit"_s, exitStatus);
    write(o);
}

void ProgressJson::write(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (line == m_last)
        return;
    m_last = line;
    std::fwrite(line.constData(), 1, size_t(line.size()), m_out);
    std::fputc('\n', m_out);
    std::fflush(m_out);
}
