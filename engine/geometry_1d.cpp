// geometry_1d.cpp - exact tessellation of a segment: layer-by-layer cutting of an interval into
// the linear pieces of a network, and its SVG / JSON export.
//
// Refinement is breadth first, one layer at a time over all pieces. On a piece of depth l the
// pre-activation of layer l is affine, h = a t + e (a column of Ha and of He), so each neuron has
// at most one zero there; the zeros strictly inside cut the piece. The next layer's map on a
// sub-piece is h(l+1) = W(l+1) diag(s) (a t + e) + b(l+1), with s the layer's slopes on that
// sub-piece: one matrix product per layer for all pieces together, no allocation per piece.
//
// Index
//   [SECTION] Lines
//   [SECTION] Input checks
//   [SECTION] Tessellation of an interval
//   [SECTION] Tessellation accessors
//   [SECTION] SVG
//   [SECTION] JSON
#include "geometry_1d.h"

#include "code_hash.h"
#include "pixel_codes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <utility>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Lines
// -----------------------------------------------------------------------------------------------

Line1d standard_line(int input_dim) {
  Line1d line;
  line.origin = Eigen::VectorXd::Zero(input_dim);
  line.direction = Eigen::VectorXd::Zero(input_dim);
  if (input_dim >= 1) line.direction(0) = 1;
  return line;
}

Eigen::MatrixXd to_input_space(const Line1d& line, const Eigen::VectorXd& t) {
  Eigen::MatrixXd X = line.direction * t.transpose(); // (D, n)
  X.colwise() += line.origin;
  return X;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Input checks
// -----------------------------------------------------------------------------------------------

namespace {

// Empty when the inputs can be tessellated, otherwise a sentence naming the problem. The
// network's limits are the 2-D tessellation's, so that both views accept the same networks.
std::string check_inputs(const Network& net, const Line1d& line, double t0, double t1,
                         const Tessellation1dOptions& options) {
  if (net.layers.empty()) return "the network has no layers";
  const int D = net.input_dim;
  if (line.origin.size() != D || line.direction.size() != D) {
    const Eigen::Index wrong = line.origin.size() != D ? line.origin.size() : line.direction.size();
    return "the line has " + std::to_string(wrong) + " coordinates, the network expects " +
           std::to_string(D);
  }
  if (!line.origin.allFinite() || !line.direction.allFinite()) return "the line is not finite";
  if (!std::isfinite(t0) || !std::isfinite(t1)) return "the interval is not finite";
  if (!(t0 < t1)) return "the interval is empty: t0 must be less than t1";
  if (options.max_pieces < 1) return "the piece budget must be at least 1";
  if (!(options.tolerance >= 0) || !std::isfinite(options.tolerance))
    return "the tolerance must be a finite number >= 0";
  return validate(net);
}

void flip(Code& code, int k) { code.words[k >> 6] ^= std::uint64_t{1} << (k & 63); }

// A zero of neuron `neuron` of the layer being cut, strictly inside the piece being cut.
struct Cut {
  double t;
  int neuron;
  bool operator<(const Cut& o) const { return t < o.t || (t == o.t && neuron < o.neuron); }
};

// The pieces of one depth, in increasing t.
struct Pieces {
  std::vector<double> t0, t1;
  std::vector<Code> codes;
  std::vector<int> parent; // the piece of the previous depth each one was cut from

  int size() const { return static_cast<int>(t0.size()); }
  void clear() {
    t0.clear();
    t1.clear();
    codes.clear();
    parent.clear();
  }
  void push(double a, double b, const Code& code, int from) {
    t0.push_back(a);
    t1.push_back(b);
    codes.push_back(code);
    parent.push_back(from);
  }
};

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Tessellation of an interval
// -----------------------------------------------------------------------------------------------

Tessellation1d tessellate_interval(const Network& net_in, const Line1d& line, double t0, double t1,
                                   const Tessellation1dOptions& options) {
  Tessellation1d out;
  out.t0 = t0;
  out.t1 = t1;
  out.line = line;
  out.hidden_layers = net_in.hidden_layers();
  out.outputs = net_in.outputs();
  auto fail = [&out](TessellationStatus status, std::string message) {
    out.status = status;
    out.message = std::move(message);
    out.pieces.clear();
    out.knots.clear();
    out.pieces_per_layer.clear();
  };
  const std::string problem = check_inputs(net_in, line, t0, t1, options);
  if (!problem.empty()) {
    fail(TessellationStatus::invalid_input, problem);
    return out;
  }
  const int L = out.hidden_layers;
  for (int l = 0; l < L; ++l) out.widths.push_back(net_in.layers[l].width());
  out.code_neurons = net_in.hidden_neurons();

  // Batch norm folded into W and b (evaluation mode); a network without it is used as it is.
  Network folded_copy;
  const Network* folded = &net_in;
  if (std::any_of(net_in.layers.begin(), net_in.layers.end(),
                  [](const Layer& layer) { return layer.batch_norm; })) {
    folded_copy = net_in.folded();
    folded = &folded_copy;
  }
  const Network& net = *folded;
  for (const Layer& layer : net.layers) {
    if (!layer.W.allFinite() || !layer.b.allFinite()) {
      fail(TessellationStatus::numerical_failure, "the network has non-finite weights");
      return out;
    }
  }

  // M: the size of t, so |a| M + |e| is the size of the terms of a t + e and tolerance times it
  // bounds their rounding. gap: the shortest piece a cut may leave.
  const double M = std::max(std::abs(t0), std::abs(t1));
  const double tol = options.tolerance;
  const double gap = tol * std::max(M, t1 - t0);

  Pieces pieces, next;
  pieces.push(t0, t1, Code{}, 0);
  // The pre-activation of the layer about to cut, on every piece: h = Ha(:, p) t + He(:, p).
  Eigen::MatrixXd Ha = net.layers[0].W * line.direction; // (n_0, 1)
  Eigen::MatrixXd He = net.layers[0].W * line.origin + net.layers[0].b; // (n_0, 1)
  if (!Ha.allFinite() || !He.allFinite()) {
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return out;
  }
  std::vector<Cut> cuts;
  std::vector<Knot> knots;

  for (int l = 0; l < L; ++l) {
    const Layer& layer = net.layers[l];
    const int n = layer.width();
    const int offset = net.neuron_offset(l);
    // A linear layer has no kink: it cuts nothing and its bits stay 0 (as in activation_codes()).
    const bool kink = layer.activation != Activation::linear;
    next.clear();
    for (int p = 0; p < pieces.size(); ++p) {
      const double lo = pieces.t0[p], hi = pieces.t1[p], mid = 0.5 * (lo + hi);
      Code code = pieces.codes[p]; // the first sub-piece's code, bits of layer l set below
      cuts.clear();
      if (kink) {
        for (int k = 0; k < n; ++k) {
          const double a = Ha(k, p), e = He(k, p);
          const double eps = tol * (std::abs(a) * M + std::abs(e));
          const double h_lo = a * lo + e, h_hi = a * hi + e;
          // Clearly opposite signs at the two ends: one zero inside. A zero at an end (within
          // the tolerance), or a neuron that is zero on the whole piece, cuts nothing; its sign
          // is that at the middle, which the whole interior shares.
          if ((h_lo < -eps && h_hi > eps) || (h_lo > eps && h_hi < -eps)) {
            const double t = -e / a;
            if (t - lo > gap && hi - t > gap) {
              cuts.push_back(Cut{t, k});
              if (h_lo > 0) code.set(offset + k);
              continue;
            }
          }
          if (a * mid + e > 0) code.set(offset + k);
        }
        std::sort(cuts.begin(), cuts.end());
      }
      // Sub-pieces between the cuts. Cuts within `gap` of a position are one knot position, so
      // every knot there gets exactly the t of the piece ends, and each flips its neuron's bit.
      double start = lo;
      std::size_t i = 0;
      for (;;) {
        const double end = i < cuts.size() ? cuts[i].t : hi;
        next.push(start, end, code, p);
        if (next.size() > options.max_pieces) {
          fail(TessellationStatus::tile_budget_exceeded,
               "more than " + std::to_string(options.max_pieces) + " pieces");
          return out;
        }
        if (i == cuts.size()) break;
        const double at = cuts[i].t;
        for (; i < cuts.size() && cuts[i].t - at <= gap; ++i) {
          flip(code, offset + cuts[i].neuron);
          knots.push_back(Knot{at, l, cuts[i].neuron, 0});
        }
        start = at;
      }
    }
    // A neuron of this layer whose zero falls on a knot of an earlier layer made no cut, but its
    // sign can still change there: the two pieces either side (cut from different pieces) then
    // have different bits, and the knot is listed at that position too.
    if (kink) {
      for (int j = 0; j + 1 < next.size(); ++j) {
        if (next.parent[j] == next.parent[j + 1]) continue;
        for (int k = 0; k < n; ++k)
          if (next.codes[j].bit(offset + k) != next.codes[j + 1].bit(offset + k))
            knots.push_back(Knot{next.t1[j], l, k, 0});
      }
    }

    // The next layer's map on every sub-piece: h(l+1) = W(l+1) (s .* (a t + e)) + b(l+1), with
    // the slopes s chosen by the sub-piece's bits (the inactive slope where the bit is 0).
    const int count = next.size();
    Eigen::MatrixXd Ga(n, count), Ge(n, count); // (n_l, pieces) s .* a and s .* e
    for (int j = 0; j < count; ++j) {
      const int p = next.parent[j];
      for (int k = 0; k < n; ++k) {
        const double s =
            kink ? activation_slope(layer.activation, layer.alpha,
                                    next.codes[j].bit(offset + k) ? 1.0 : -1.0)
                 : 1.0;
        Ga(k, j) = s * Ha(k, p);
        Ge(k, j) = s * He(k, p);
      }
    }
    const Layer& following = net.layers[l + 1];
    Ha.noalias() = following.W * Ga; // (n_{l+1}, pieces)
    He.noalias() = following.W * Ge;
    He.colwise() += following.b;
    if (!Ha.allFinite() || !He.allFinite()) {
      fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
      return out;
    }
    out.pieces_per_layer.push_back(count);
    std::swap(pieces, next);
  }

  // After the last hidden layer, Ha and He are the output's map on every piece.
  out.pieces.resize(pieces.size());
  for (int p = 0; p < pieces.size(); ++p) {
    Piece1d& piece = out.pieces[p];
    piece.t0 = pieces.t0[p];
    piece.t1 = pieces.t1[p];
    piece.code = pieces.codes[p];
    piece.slope = Ha.col(p);
    piece.intercept = He.col(p);
  }
  std::sort(knots.begin(), knots.end(), [](const Knot& a, const Knot& b) {
    if (a.t != b.t) return a.t < b.t;
    if (a.layer != b.layer) return a.layer < b.layer;
    return a.neuron < b.neuron;
  });
  // Knot positions are exactly the piece ends, so one walk finds the piece starting at each.
  int j = 0;
  for (Knot& knot : knots) {
    while (j < out.piece_count() && out.pieces[j].t0 < knot.t) ++j;
    knot.piece = j;
  }
  out.knots = std::move(knots);
  return out;
}

Tessellation1d tessellate_interval(const Network& net, double t0, double t1,
                                   const Tessellation1dOptions& options) {
  return tessellate_interval(net, standard_line(net.input_dim), t0, t1, options);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Tessellation accessors
// -----------------------------------------------------------------------------------------------

int Tessellation1d::locate(double t) const {
  if (pieces.empty()) return -1;
  // The last piece starting at or before t.
  const auto after = std::upper_bound(pieces.begin(), pieces.end(), t,
                                      [](double x, const Piece1d& p) { return x < p.t0; });
  return std::max(0, static_cast<int>(after - pieces.begin()) - 1);
}

Eigen::VectorXd Tessellation1d::evaluate(double t) const {
  const int p = locate(t);
  if (p < 0) return Eigen::VectorXd::Zero(outputs);
  return pieces[p].slope * t + pieces[p].intercept;
}

Eigen::MatrixXd spline_polyline(const Tessellation1d& tess, int output) {
  const int n = tess.piece_count();
  if (n == 0 || output < 0 || output >= tess.outputs) return Eigen::MatrixXd(2, 0);
  Eigen::MatrixXd P(2, n + 1); // (2, pieces + 1)
  for (int p = 0; p < n; ++p) {
    const Piece1d& piece = tess.pieces[p];
    P(0, p) = piece.t0;
    P(1, p) = piece.slope(output) * piece.t0 + piece.intercept(output);
  }
  const Piece1d& last = tess.pieces.back();
  P(0, n) = last.t1;
  P(1, n) = last.slope(output) * last.t1 + last.intercept(output);
  return P;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] SVG
// -----------------------------------------------------------------------------------------------

namespace {

// Pixel coordinates: two decimals are finer than any display.
void append_px(std::string& s, double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  s += buf;
}

// name="value" with a number in pixels.
void append_attribute(std::string& s, const char* name, double x) {
  s += ' ';
  s += name;
  s += "=\"";
  append_px(s, x);
  s += '"';
}

} // namespace

std::string spline_to_svg(const Tessellation1d& tess, int output, const Spline1dSvgOptions& options) {
  const double W = std::max(1, options.width_px), H = std::max(1, options.height_px);
  const double m = std::clamp(options.margin_px, 0.0, 0.25 * std::min(W, H));
  const Eigen::MatrixXd P = spline_polyline(tess, output); // (2, n)

  // The f range of the graph: a piecewise-linear function has its extremes at the piece ends.
  double f_lo = -1, f_hi = 1;
  if (P.cols() > 0) {
    f_lo = P.row(1).minCoeff();
    f_hi = P.row(1).maxCoeff();
    const double span = f_hi - f_lo;
    const double pad = span > 0 ? 0.05 * span : std::max(1.0, std::abs(f_hi)) * 0.5;
    f_lo -= pad;
    f_hi += pad;
  }
  const double t_lo = tess.t0, t_hi = tess.t1 > tess.t0 ? tess.t1 : tess.t0 + 1;
  // y points up: f_hi at the top of the box.
  auto px_x = [&](double t) { return m + (t - t_lo) / (t_hi - t_lo) * (W - 2 * m); };
  auto px_y = [&](double f) { return H - m - (f - f_lo) / (f_hi - f_lo) * (H - 2 * m); };

  std::string s;
  s.reserve(512 + 96 * static_cast<std::size_t>(P.cols() + tess.knots.size()));
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(options.width_px) +
       "\" height=\"" + std::to_string(options.height_px) + "\" viewBox=\"0 0 " +
       std::to_string(options.width_px) + " " + std::to_string(options.height_px) + "\">\n";
  s += "<rect";
  append_attribute(s, "x", m);
  append_attribute(s, "y", m);
  append_attribute(s, "width", W - 2 * m);
  append_attribute(s, "height", H - 2 * m);
  s += " fill=\"none\" stroke=\"" + options.axes_colour + "\" stroke-width=\"1\"/>\n";
  if (f_lo < 0 && f_hi > 0) {
    // A path, not a line: every <line> of the picture is a piece.
    s += "<path fill=\"none\" stroke=\"" + options.axes_colour +
         "\" stroke-width=\"1\" stroke-dasharray=\"4 4\" d=\"M";
    append_px(s, m);
    s += ' ';
    append_px(s, px_y(0));
    s += 'H';
    append_px(s, W - m);
    s += "\"/>\n";
  }
  if (P.cols() > 0) {
    // The casing: the palette's light colours stay readable on white.
    s += "<polyline id=\"casing\" fill=\"none\" stroke=\"" + options.casing_colour + "\"";
    append_attribute(s, "stroke-width", options.casing_width_px);
    s += " stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"";
    for (Eigen::Index i = 0; i < P.cols(); ++i) {
      if (i > 0) s += ' ';
      append_px(s, px_x(P(0, i)));
      s += ',';
      append_px(s, px_y(P(1, i)));
    }
    s += "\"/>\n<g id=\"pieces\" stroke-linecap=\"round\"";
    append_attribute(s, "stroke-width", options.line_width_px);
    s += ">\n";
    for (int p = 0; p < tess.piece_count(); ++p) {
      char hex[8];
      to_hex(tile_colour(code_hash(tess.pieces[p].code, tess.code_neurons)), hex);
      s += "<line";
      append_attribute(s, "x1", px_x(P(0, p)));
      append_attribute(s, "y1", px_y(P(1, p)));
      append_attribute(s, "x2", px_x(P(0, p + 1)));
      append_attribute(s, "y2", px_y(P(1, p + 1)));
      s += " stroke=\"";
      s += hex;
      s += "\"/>\n";
    }
    s += "</g>\n";
  }
  if (options.draw_knots && !tess.knots.empty()) {
    s += "<g id=\"knots\" stroke=\"" + options.casing_colour + "\" stroke-width=\"1\">\n";
    for (const Knot& knot : tess.knots) {
      char hex[8];
      to_hex(layer_colour(knot.layer), hex);
      // The piece starting at the knot: its end values equal its neighbour's (continuity).
      s += "<circle";
      append_attribute(s, "cx", px_x(P(0, knot.piece)));
      append_attribute(s, "cy", px_y(P(1, knot.piece)));
      append_attribute(s, "r", options.knot_radius_px);
      s += " fill=\"";
      s += hex;
      s += "\"/>\n";
    }
    s += "</g>\n";
  }
  s += "</svg>\n";
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] JSON
// -----------------------------------------------------------------------------------------------

std::string pieces_to_json(const Tessellation1d& tess) {
  using nlohmann::json;
  auto vector = [](const Eigen::VectorXd& v) {
    json a = json::array();
    for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(v(i));
    return a;
  };
  json out;
  out["status"] = to_string(tess.status);
  if (!tess.message.empty()) out["message"] = tess.message;
  out["t0"] = tess.t0;
  out["t1"] = tess.t1;
  out["origin"] = vector(tess.line.origin);
  out["direction"] = vector(tess.line.direction);
  out["widths"] = tess.widths;
  out["outputs"] = tess.outputs;
  out["pieces_per_layer"] = tess.pieces_per_layer;
  json pieces = json::array();
  for (const Piece1d& piece : tess.pieces) {
    // The code as Code::to_string(net) writes it: one group of bits per hidden layer.
    std::string code;
    int k = 0;
    for (std::size_t l = 0; l < tess.widths.size(); ++l) {
      if (l > 0) code += '.';
      for (int i = 0; i < tess.widths[l]; ++i, ++k) code += piece.code.bit(k) ? '1' : '0';
    }
    json j;
    j["t0"] = piece.t0;
    j["t1"] = piece.t1;
    j["code"] = code;
    j["slope"] = vector(piece.slope);
    j["intercept"] = vector(piece.intercept);
    pieces.push_back(std::move(j));
  }
  out["pieces"] = std::move(pieces);
  json knots = json::array();
  for (const Knot& knot : tess.knots)
    knots.push_back({{"t", knot.t}, {"layer", knot.layer}, {"neuron", knot.neuron}});
  out["knots"] = std::move(knots);
  return out.dump();
}

} // namespace splinescope
