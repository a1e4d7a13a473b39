#include "core/average_precision.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace avvp::core {

namespace {

std::string num(double v, int digits = 4) {
    if (std::isnan(v)) return "nan";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::vector<PrPoint> thin(const std::vector<PrPoint>& c, std::size_t most) {
    if (c.size() <= most) return c;
    std::vector<PrPoint> out;
    const double stride = static_cast<double>(c.size() - 1) / static_cast<double>(most - 1);
    for (std::size_t i = 0; i < most; ++i)
        out.push_back(c[static_cast<std::size_t>(std::lround(static_cast<double>(i) * stride))]);
    return out;
}

std::string xmlEscape(const std::string& s) {
    std::string o;
    for (char ch : s) {
        if (ch == '<')
            o += "&lt;";
        else if (ch == '>')
            o += "&gt;";
        else if (ch == '&')
            o += "&amp;";
        else
            o += ch;
    }
    return o;
}

}  // namespace

std::vector<PrPoint> precisionRecallCurve(std::span<const float> scores,
                                          std::span<const char> labels) {
    if (scores.size() != labels.size())
        throw std::invalid_argument("precisionRecallCurve: scores and labels differ in size");
    long positives = 0;
    for (char l : labels) positives += l != 0 ? 1 : 0;
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t i, std::size_t j) { return scores[i] > scores[j]; });
    std::vector<PrPoint> out;
    long tp = 0, fp = 0;
    for (std::size_t i = 0; i < order.size();) {
        const float s = scores[order[i]];
        std::size_t j = i;
        for (; j < order.size() && scores[order[j]] == s; ++j) (labels[order[j]] ? tp : fp) += 1;
        out.push_back(
            {s, static_cast<double>(tp) / static_cast<double>(tp + fp),
             positives == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(positives)});
        i = j;
    }
    return out;
}

double averagePrecision(std::span<const float> scores, std::span<const char> labels) {
    const auto curve = precisionRecallCurve(scores, labels);
    if (std::none_of(labels.begin(), labels.end(), [](char l) { return l != 0; }))
        return std::numeric_limits<double>::quiet_NaN();
    double ap = 0.0, lastRecall = 0.0;
    for (const auto& p : curve) {
        ap += (p.recall - lastRecall) * p.precision;
        lastRecall = p.recall;
    }
    return ap;
}

ApReport segmentAveragePrecision(const std::vector<ScoredVideo>& videos) {
    ApReport r;
    r.videos = static_cast<int>(videos.size());
    std::array<std::vector<float>, 3> pooledScores;
    std::array<std::vector<char>, 3> pooledLabels;
    for (int m = 0; m < 3; ++m) {
        double sum = 0.0;
        for (int c = 0; c < kNumClasses; ++c) {
            std::vector<float> scores;
            std::vector<char> labels;
            for (const auto& v : videos)
                for (int t = 0; t < v.segments; ++t) {
                    const float a = v.frame[frameIndex(t, Modality::Audio, c)];
                    const float vi = v.frame[frameIndex(t, Modality::Visual, c)];
                    const bool ga = t < v.gtAudio.segments() && v.gtAudio.at(c, t);
                    const bool gv = t < v.gtVisual.segments() && v.gtVisual.at(c, t);
                    scores.push_back(m == 0 ? a : m == 1 ? vi : std::min(a, vi));
                    labels.push_back(m == 0 ? ga : m == 1 ? gv : (ga && gv));
                }
            ApClass ac;
            ac.modality = m;
            ac.cls = c;
            ac.cells = static_cast<long>(scores.size());
            for (char l : labels) ac.positives += l;
            ac.ap = averagePrecision(scores, labels);
            ac.curve = precisionRecallCurve(scores, labels);
            if (ac.positives > 0) {
                sum += ac.ap;
                ++r.scored[static_cast<std::size_t>(m)];
            }
            pooledScores[static_cast<std::size_t>(m)].insert(
                pooledScores[static_cast<std::size_t>(m)].end(), scores.begin(), scores.end());
            pooledLabels[static_cast<std::size_t>(m)].insert(
                pooledLabels[static_cast<std::size_t>(m)].end(), labels.begin(), labels.end());
            r.classes.push_back(std::move(ac));
        }
        const auto mi = static_cast<std::size_t>(m);
        r.map[mi] = r.scored[mi] == 0 ? std::numeric_limits<double>::quiet_NaN()
                                      : sum / static_cast<double>(r.scored[mi]);
        r.microAp[mi] = averagePrecision(pooledScores[mi], pooledLabels[mi]);
        r.microCurve[mi] = thin(precisionRecallCurve(pooledScores[mi], pooledLabels[mi]), 500);
    }
    return r;
}

void writeApText(std::ostream& out, const ApReport& r, const std::string& title) {
    out << title << '\n'
        << "protocol: " << r.protocol << " (" << r.videos
        << " videos; AP as scikit-learn's average_precision_score)\n\n";
    out << "modality        mAP      micro AP  classes with positives\n";
    for (std::size_t m = 0; m < 3; ++m) {
        char line[128];
        std::snprintf(line, sizeof line, "%-14s  %-7s  %-8s  %d\n", kApModalities[m],
                      num(r.map[m] * 100.0, 2).c_str(), num(r.microAp[m] * 100.0, 2).c_str(),
                      r.scored[m]);
        out << line;
    }
    out << "\nper class AP (%; - where the split holds no positive):\n";
    out << "class                      audio    visual   audio-visual\n";
    for (int c = 0; c < kNumClasses; ++c) {
        char line[160];
        auto cell = [&](int m) {
            const auto& a = r.classes[static_cast<std::size_t>(m * kNumClasses + c)];
            return a.positives == 0 ? std::string("-") : num(a.ap * 100.0, 2);
        };
        std::snprintf(line, sizeof line, "%-25s  %-7s  %-7s  %s\n",
                      std::string(kClassNames[static_cast<std::size_t>(c)]).c_str(),
                      cell(0).c_str(), cell(1).c_str(), cell(2).c_str());
        out << line;
    }
}

void writeApTsv(std::ostream& out, const ApReport& r) {
    out << "modality\tclass\tpositives\tcells\tap\n";
    for (const auto& a : r.classes)
        out << kApModalities[static_cast<std::size_t>(a.modality)] << '\t'
            << kClassNames[static_cast<std::size_t>(a.cls)] << '\t' << a.positives << '\t'
            << a.cells << '\t' << num(a.ap, 6) << '\n';
    for (std::size_t m = 0; m < 3; ++m)
        out << kApModalities[m] << "\tmAP\t\t\t" << num(r.map[m], 6) << '\n'
            << kApModalities[m] << "\tmicro\t\t\t" << num(r.microAp[m], 6) << '\n';
}

void writePrTsv(std::ostream& out, const ApReport& r) {
    out << "# " << r.protocol << "\nmodality\tclass\tthreshold\tprecision\trecall\n";
    for (const auto& a : r.classes)
        for (const auto& p : a.curve)
            out << kApModalities[static_cast<std::size_t>(a.modality)] << '\t'
                << kClassNames[static_cast<std::size_t>(a.cls)] << '\t' << num(p.threshold, 6)
                << '\t' << num(p.precision, 6) << '\t' << num(p.recall, 6) << '\n';
    for (std::size_t m = 0; m < 3; ++m)
        for (const auto& p : r.microCurve[m])
            out << kApModalities[m] << "\tall\t" << num(p.threshold, 6) << '\t'
                << num(p.precision, 6) << '\t' << num(p.recall, 6) << '\n';
}

void writePrSvg(std::ostream& out, const ApReport& r, const std::string& title) {
    constexpr double W = 720, H = 540, L = 70, R = 200, T = 60, B = 60;
    const double pw = W - L - R, ph = H - T - B;
    auto x = [&](double recall) { return L + recall * pw; };
    auto y = [&](double precision) { return T + (1.0 - precision) * ph; };
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
        << "\" viewBox=\"0 0 " << W << ' ' << H << "\" font-family=\"sans-serif\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<text x=\"" << W / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">"
        << xmlEscape(title) << "</text>\n"
        << "<text x=\"" << W / 2 << "\" y=\"48\" text-anchor=\"middle\" font-size=\"12\">"
        << xmlEscape(r.protocol + ", " + std::to_string(r.videos) + " videos") << "</text>\n";
    for (int i = 0; i <= 10; ++i) {
        const double v = i / 10.0;
        out << "<line x1=\"" << x(v) << "\" y1=\"" << y(0) << "\" x2=\"" << x(v) << "\" y2=\""
            << y(1) << "\" stroke=\"#ddd\"/>\n"
            << "<line x1=\"" << x(0) << "\" y1=\"" << y(v) << "\" x2=\"" << x(1) << "\" y2=\""
            << y(v) << "\" stroke=\"#ddd\"/>\n"
            << "<text x=\"" << x(v) << "\" y=\"" << y(0) + 18
            << "\" text-anchor=\"middle\" font-size=\"11\">" << num(v, 1) << "</text>\n"
            << "<text x=\"" << x(0) - 6 << "\" y=\"" << y(v) + 4
            << "\" text-anchor=\"end\" font-size=\"11\">" << num(v, 1) << "</text>\n";
    }
    out << "<rect x=\"" << L << "\" y=\"" << T << "\" width=\"" << pw << "\" height=\"" << ph
        << "\" fill=\"none\" stroke=\"black\"/>\n"
        << "<text x=\"" << L + pw / 2 << "\" y=\"" << H - 15
        << "\" text-anchor=\"middle\" font-size=\"13\">recall</text>\n"
        << "<text transform=\"translate(20 " << T + ph / 2
        << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">precision</text>\n";
    const char* colours[3] = {"#1f77b4", "#d62728", "#2ca02c"};
    for (std::size_t m = 0; m < 3; ++m) {
        if (!r.microCurve[m].empty()) {
            out << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << colours[m]
                << "\" points=\"";
            double lastR = 0.0;
            for (const auto& p : r.microCurve[m]) {  // step-interpolated, as AP integrates
                out << x(lastR) << ',' << y(p.precision) << ' ' << x(p.recall) << ','
                    << y(p.precision) << ' ';
                lastR = p.recall;
            }
            out << "\"/>\n";
        }
        const double ly = T + 20 + static_cast<double>(m) * 44;
        out << "<line x1=\"" << W - R + 12 << "\" y1=\"" << ly << "\" x2=\"" << W - R + 36
            << "\" y2=\"" << ly << "\" stroke-width=\"3\" stroke=\"" << colours[m] << "\"/>\n"
            << "<text x=\"" << W - R + 42 << "\" y=\"" << ly + 4 << "\" font-size=\"12\">"
            << kApModalities[m] << "</text>\n"
            << "<text x=\"" << W - R + 42 << "\" y=\"" << ly + 20 << "\" font-size=\"11\">mAP "
            << num(r.map[m] * 100.0, 1) << ", micro " << num(r.microAp[m] * 100.0, 1)
            << "</text>\n";
    }
    out << "</svg>\n";
}

}  // namespace avvp::core
