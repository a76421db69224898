// geometry_contours.cpp - zero sets over a tessellation: the decision boundary, level sets and
// neuron zero sets, joined into polylines.
//
// The function is evaluated once per vertex of the tessellation (from any tile that has it: the
// network is continuous) and every tile reads those shared values. A zero set crosses an edge
// exactly when the signs of the values at its two ends differ, at a point interpolated along the
// edge from its lower-numbered end. Both tiles of an edge therefore agree on every crossing to the
// last bit, and segments of neighbouring tiles meet at identical points: joining them needs keys
// (vertex or edge ids), never a geometric tolerance.
//
// Index
//   [SECTION] Joining segments into polylines
//   [SECTION] Zero segments of one tile
//   [SECTION] Level sets and the binary decision boundary
//   [SECTION] Decision boundary of several classes
//   [SECTION] Neuron zero sets
//   [SECTION] Sampling along polylines
#include "geometry.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace splinescope {

namespace {

// -----------------------------------------------------------------------------------------------
// [SECTION] Joining segments into polylines
// -----------------------------------------------------------------------------------------------

struct Segment {
  int a, b;  // node ids
  int group; // segments join only within one group (a pair of classes)
};

// Nodes are identified by 64-bit keys; a node keeps the first position recorded for it.
class NodeSet {
public:
  int node(std::uint64_t key, const Eigen::Vector2d& p) {
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    const int id = static_cast<int>(points_.size());
    ids_.emplace(key, id);
    points_.push_back(p);
    return id;
  }
  const std::vector<Eigen::Vector2d>& points() const { return points_; }

private:
  std::unordered_map<std::uint64_t, int> ids_;
  std::vector<Eigen::Vector2d> points_;
};

// Joins segments at nodes where exactly two segments of the same group meet; polylines end at
// every other node. What is left after the open polylines are closed loops.
std::vector<Polyline> join_segments(const std::vector<Eigen::Vector2d>& points,
                                    const std::vector<Segment>& segments) {
  const int N = static_cast<int>(points.size());
  const int S = static_cast<int>(segments.size());
  std::vector<int> begin(N + 1, 0), incident(2 * S);
  for (const Segment& s : segments) {
    ++begin[s.a + 1];
    ++begin[s.b + 1];
  }
  for (int i = 0; i < N; ++i) begin[i + 1] += begin[i];
  std::vector<int> fill(begin.begin(), begin.end() - 1);
  for (int s = 0; s < S; ++s) {
    incident[fill[segments[s].a]++] = s;
    incident[fill[segments[s].b]++] = s;
  }
  auto joinable = [&](int node) {
    return begin[node + 1] - begin[node] == 2 &&
           segments[incident[begin[node]]].group == segments[incident[begin[node] + 1]].group &&
           incident[begin[node]] != incident[begin[node] + 1];
  };
  std::vector<char> used(S, 0);
  std::vector<Polyline> out;
  auto walk = [&](int start_node, int first_segment) {
    Polyline line;
    line.points.push_back(points[start_node]);
    int node = start_node, seg = first_segment;
    const int group = segments[seg].group;
    while (seg >= 0 && !used[seg]) {
      used[seg] = 1;
      node = segments[seg].a == node ? segments[seg].b : segments[seg].a;
      line.points.push_back(points[node]);
      if (!joinable(node)) break;
      const int s0 = incident[begin[node]], s1 = incident[begin[node] + 1];
      seg = s0 == seg ? s1 : s0;
    }
    line.closed = node == start_node && line.points.size() > 2;
    if (line.closed) line.points.pop_back();
    line.class_a = group >= 0 ? group / 16 : -1;
    line.class_b = group >= 0 ? group % 16 : -1;
    out.push_back(std::move(line));
  };
  for (int node = 0; node < N; ++node) {
    if (joinable(node)) continue;
    for (int i = begin[node]; i < begin[node + 1]; ++i)
      if (!used[incident[i]]) walk(node, incident[i]);
  }
  for (int s = 0; s < S; ++s)
    if (!used[s]) walk(segments[s].a, s); // closed loops
  return out;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Zero segments of one tile
// -----------------------------------------------------------------------------------------------

// Where a segment of a zero set ends: a vertex, or a crossing inside an edge.
struct Endpoint {
  std::uint64_t key = 0; // vertex v: v; edge crossing: vertices + undirected edge id
  Eigen::Vector2d point = Eigen::Vector2d::Zero();
  int v0 = 0, v1 = 0;    // the crossing interpolates v0 -> v1 (v0 < v1) at t; a vertex: v0 = v1
  double t = 0;
};

struct TileSegment {
  Endpoint a, b;
  bool along_edge = false; // the zero set runs along a side of the tile
  int edge = -1;           // that side's undirected edge id
};

int undirected(const Tessellation& tess, int e) {
  const int tw = tess.edges[e].twin;
  return tw >= 0 ? std::min(e, tw) : e;
}

// The zero set of g (affine on the tile, values per vertex) inside tile t. Returns 0 (none),
// or appends one interior segment, or one segment per side it runs along. flat: g vanishes at
// every vertex.
void tile_zero_segments(const Tessellation& tess, int t, const std::vector<double>& g, double tol,
                        std::vector<TileSegment>& out, bool* flat) {
  const Tile& tile = tess.tiles[t];
  const int m = tile.edge_count;
  const int V = static_cast<int>(tess.vertices.size());
  auto sign = [&](int v) { return std::abs(g[v]) <= tol ? 0 : (g[v] > 0 ? 1 : -1); };
  int zeros = 0, pos = 0, neg = 0;
  for (int i = 0; i < m; ++i) {
    const int s = sign(tess.edges[tile.first_edge + i].from);
    zeros += s == 0;
    pos += s > 0;
    neg += s < 0;
  }
  *flat = zeros == m;
  if (*flat || (zeros == 0 && (pos == 0 || neg == 0))) return;
  auto vertex_end = [&](int v) {
    Endpoint e;
    e.key = static_cast<std::uint64_t>(v);
    e.point = tess.vertices[v];
    e.v0 = e.v1 = v;
    return e;
  };
  // Sides along the zero set first: then the zero set cannot also cross the interior.
  bool along = false;
  for (int i = 0; i < m; ++i) {
    const TileEdge& e = tess.edges[tile.first_edge + i];
    if (sign(e.from) == 0 && sign(e.to) == 0) {
      TileSegment s;
      s.a = vertex_end(e.from);
      s.b = vertex_end(e.to);
      s.along_edge = true;
      s.edge = undirected(tess, tile.first_edge + i);
      out.push_back(s);
      along = true;
    }
  }
  if (along || pos == 0 || neg == 0) return;
  Endpoint ends[2];
  int found = 0;
  for (int i = 0; i < m && found <= 2; ++i) {
    const int ei = tile.first_edge + i;
    const TileEdge& e = tess.edges[ei];
    const int sf = sign(e.from), st = sign(e.to);
    if (sf == 0) {
      if (found < 2) ends[found] = vertex_end(e.from);
      ++found;
    } else if (st != 0 && sf != st) {
      if (found < 2) {
        Endpoint& x = ends[found];
        x.v0 = std::min(e.from, e.to);
        x.v1 = std::max(e.from, e.to);
        x.t = g[x.v0] / (g[x.v0] - g[x.v1]);
        x.point = tess.vertices[x.v0] + x.t * (tess.vertices[x.v1] - tess.vertices[x.v0]);
        x.key = static_cast<std::uint64_t>(V) + static_cast<std::uint64_t>(undirected(tess, ei));
      }
      ++found;
    }
  }
  if (found != 2) return; // only within rounding of a degenerate configuration
  TileSegment s;
  s.a = ends[0];
  s.b = ends[1];
  out.push_back(s);
}

// Values of every output at every vertex, (C, V), each from the first tile that has the vertex.
Eigen::MatrixXd vertex_values(const Tessellation& tess) {
  const int V = static_cast<int>(tess.vertices.size());
  Eigen::MatrixXd F(tess.map_rows, V); // (C, V)
  std::vector<char> done(V, 0);
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Tile& tile = tess.tiles[t];
    for (int i = 0; i < tile.edge_count; ++i) {
      const int v = tess.edges[tile.first_edge + i].from;
      if (done[v]) continue;
      done[v] = 1;
      const Eigen::Vector2d& p = tess.vertices[v];
      for (int r = 0; r < tess.map_rows; ++r)
        F(r, v) = (tess.A(r, 2 * t) * p.x() + tess.A(r, 2 * t + 1) * p.y()) + tess.c(r, t);
    }
  }
  return F;
}

double max_abs(const std::vector<double>& g) {
  double m = 0;
  for (double x : g) m = std::max(m, std::abs(x));
  return m;
}

// Zero-classification of shared vertex values: only snaps values that are rounding-level zeros
// (a vertex constructed exactly on the zero set). Any tolerance is consistent, because every
// tile reads the same values.
constexpr double kContourTolerance = 1e-12;

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Level sets and the binary decision boundary
// -----------------------------------------------------------------------------------------------

Contour level_set(const Tessellation& tess, double level, int output) {
  Contour out;
  if (!tess.ok() || !tess.full_depth() || output < 0 || output >= tess.map_rows) return out;
  // g at every vertex from the first tile that has it, as vertex_values() (same arithmetic), for
  // this output only.
  const int V = static_cast<int>(tess.vertices.size());
  std::vector<double> g(V);
  {
    std::vector<char> done(V, 0);
    const double* A = tess.A.data();
    const double* c = tess.c.data();
    const Eigen::Index rows = tess.map_rows;
    for (int t = 0; t < tess.tile_count(); ++t) {
      const Tile& tile = tess.tiles[t];
      const double au = A[(2 * t) * rows + output], aw = A[(2 * t + 1) * rows + output];
      const double ct = c[t * rows + output];
      for (int i = 0; i < tile.edge_count; ++i) {
        const int v = tess.edges[tile.first_edge + i].from;
        if (done[v]) continue;
        done[v] = 1;
        const Eigen::Vector2d& p = tess.vertices[v];
        g[v] = ((au * p.x() + aw * p.y()) + ct) - level;
      }
    }
  }
  const double tol = kContourTolerance * std::max(max_abs(g), 1e-300);
  NodeSet nodes;
  std::vector<Segment> segments;
  std::vector<char> edge_done(tess.edges.size(), 0);
  std::vector<TileSegment> pieces;
  for (int t = 0; t < tess.tile_count(); ++t) {
    // Most tiles lie on one side: every vertex clearly above, or every one clearly below.
    {
      const Tile& tile = tess.tiles[t];
      const TileEdge* e = &tess.edges[tile.first_edge];
      bool above = true, below = true;
      for (int i = 0; i < tile.edge_count; ++i) {
        const double x = g[e[i].from];
        above &= x > tol;
        below &= x < -tol;
      }
      if (above || below) continue; // tile_zero_segments() would find nothing
    }
    pieces.clear();
    bool flat = false;
    tile_zero_segments(tess, t, g, tol, pieces, &flat);
    out.flat_tiles += flat;
    bool crossed = false;
    for (const TileSegment& s : pieces) {
      if (s.along_edge) {
        if (edge_done[s.edge]) continue;
        edge_done[s.edge] = 1;
      } else {
        crossed = true;
      }
      segments.push_back(Segment{nodes.node(s.a.key, s.a.point), nodes.node(s.b.key, s.b.point), -1});
    }
    if (crossed) out.tiles.push_back(t);
  }
  out.polylines = join_segments(nodes.points(), segments);
  return out;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Decision boundary of several classes
// -----------------------------------------------------------------------------------------------

namespace {

Contour top_two_ties(const Tessellation& tess) {
  Contour out;
  const int C = tess.map_rows;
  const Eigen::MatrixXd F = vertex_values(tess); // (C, V)
  const int V = static_cast<int>(F.cols());
  const double tol = kContourTolerance * std::max(F.cwiseAbs().maxCoeff(), 1e-300);
  NodeSet nodes;
  std::vector<Segment> segments;
  std::vector<std::uint64_t> along_done; // (edge id, pair) of sides already emitted
  std::vector<double> g(V);
  std::vector<TileSegment> pieces;
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Tile& tile = tess.tiles[t];
    // One class above all others at every vertex wins on the whole (convex) tile.
    bool dominated = false;
    for (int a = 0; a < C && !dominated; ++a) {
      bool wins = true;
      for (int i = 0; i < tile.edge_count && wins; ++i) {
        const int v = tess.edges[tile.first_edge + i].from;
        for (int j = 0; j < C && wins; ++j)
          if (j != a && F(a, v) - F(j, v) <= tol) wins = false;
      }
      dominated = wins;
    }
    if (dominated) continue;
    bool crossed = false;
    for (int a = 0; a < C; ++a) {
      for (int b = a + 1; b < C; ++b) {
        for (int i = 0; i < tile.edge_count; ++i) {
          const int v = tess.edges[tile.first_edge + i].from;
          g[v] = F(a, v) - F(b, v);
        }
        pieces.clear();
        bool flat = false;
        tile_zero_segments(tess, t, g, tol, pieces, &flat);
        if (flat) continue; // a and b equal on the whole tile: not a boundary between them
        const int pair = a * 16 + b;
        for (const TileSegment& s : pieces) {
          // Logits at the two ends, interpolated like the ends themselves.
          auto logits = [&](const Endpoint& e) -> Eigen::VectorXd {
            return F.col(e.v0) + e.t * (F.col(e.v1) - F.col(e.v0));
          };
          const Eigen::VectorXd L0 = logits(s.a), L1 = logits(s.b); // (C)
          double lo = 0, hi = 1;
          int lo_by = -1, hi_by = -1;
          for (int j = 0; j < C && lo <= hi; ++j) {
            if (j == a || j == b) continue;
            // On the segment f_a = f_b; (a, b) are the top two where their mean is >= f_j.
            const double q0 = 0.5 * (L0(a) + L0(b)) - L0(j), q1 = 0.5 * (L1(a) + L1(b)) - L1(j);
            const bool ok0 = q0 >= -tol, ok1 = q1 >= -tol;
            if (ok0 && ok1) continue;
            if (!ok0 && !ok1) {
              lo = 1;
              hi = 0;
              break;
            }
            const double x = q0 / (q0 - q1);
            if (!ok0 && x > lo) {
              lo = x;
              lo_by = j;
            }
            if (!ok1 && x < hi) {
              hi = x;
              hi_by = j;
            }
          }
          if (hi - lo <= 1e-12) continue;
          if (s.along_edge) {
            const std::uint64_t key = static_cast<std::uint64_t>(s.edge) * 64 + a * 8 + b;
            if (std::find(along_done.begin(), along_done.end(), key) != along_done.end()) continue;
            along_done.push_back(key);
          } else {
            crossed = true;
          }
          // An end cut off by a third class is a junction of three classes inside this tile.
          auto junction = [&](int j) {
            int c3[3] = {a, b, j};
            std::sort(c3, c3 + 3);
            return (std::uint64_t{1} << 63) | (static_cast<std::uint64_t>(t) << 9) |
                   static_cast<std::uint64_t>(c3[0] * 64 + c3[1] * 8 + c3[2]);
          };
          auto boundary_key = [&](const Endpoint& e) { return (e.key << 6) | static_cast<std::uint64_t>(a * 8 + b); };
          const Eigen::Vector2d d = s.b.point - s.a.point;
          const int na = lo_by < 0 ? nodes.node(boundary_key(s.a), s.a.point)
                                   : nodes.node(junction(lo_by), s.a.point + lo * d);
          const int nb = hi_by < 0 ? nodes.node(boundary_key(s.b), s.b.point)
                                   : nodes.node(junction(hi_by), s.a.point + hi * d);
          segments.push_back(Segment{na, nb, pair});
        }
      }
    }
    if (crossed) out.tiles.push_back(t);
  }
  out.polylines = join_segments(nodes.points(), segments);
  return out;
}

} // namespace

Contour decision_boundary(const Tessellation& tess) {
  if (!tess.ok() || !tess.full_depth()) return Contour{};
  if (tess.map_rows == 1) return level_set(tess, 0.0, 0);
  return top_two_ties(tess);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Neuron zero sets
// -----------------------------------------------------------------------------------------------

std::vector<Polyline> neuron_zero_set(const Tessellation& tess, int layer, int neuron) {
  NodeSet nodes;
  std::vector<Segment> segments;
  if (!tess.ok() || layer < 0 || layer >= tess.depth) return {};
  for (int e = 0; e < static_cast<int>(tess.edges.size()); ++e) {
    const TileEdge& edge = tess.edges[e];
    if (edge.twin >= 0 && edge.twin < e) continue; // each edge once
    bool on = edge.layer == layer && edge.neuron == neuron;
    for (int i = edge.coincident; i >= 0 && !on; i = tess.coincident[i].next)
      on = tess.coincident[i].layer == layer && tess.coincident[i].neuron == neuron;
    if (!on) continue;
    segments.push_back(Segment{nodes.node(static_cast<std::uint64_t>(edge.from), tess.vertices[edge.from]),
                               nodes.node(static_cast<std::uint64_t>(edge.to), tess.vertices[edge.to]),
                               -1});
  }
  return join_segments(nodes.points(), segments);
}

NeuronActivity neuron_activity(const Tessellation& tess, const Network& net, int layer, int neuron,
                               const Eigen::MatrixXd& X) {
  NeuronActivity a;
  if (layer < 0 || layer >= net.hidden_layers() || neuron < 0 ||
      neuron >= net.layers[layer].width())
    return a;
  int bit = neuron; // global numbering, layer by layer (Code)
  for (int l = 0; l < layer; ++l) bit += net.layers[l].width();
  if (tess.ok() && layer < tess.depth) {
    bool on = false, off = false;
    for (const Tile& t : tess.tiles) {
      a.region_area += t.area;
      if (t.code.bit(bit)) {
        a.active_area += t.area;
        on = true;
      } else {
        off = true;
      }
    }
    a.crosses_region = on && off;
  }
  if (X.cols() > 0) {
    for (const Code& c : activation_codes(net, X)) a.active_points += c.bit(bit) ? 1 : 0;
    a.points = static_cast<int>(X.cols());
  }
  return a;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Sampling along polylines
// -----------------------------------------------------------------------------------------------

Eigen::MatrixXd sample_polylines(const std::vector<Polyline>& lines, int n) {
  double total = 0;
  for (const Polyline& line : lines) {
    const std::size_t m = line.points.size();
    for (std::size_t i = 0; i + 1 < m + (line.closed ? 1 : 0); ++i)
      total += (line.points[(i + 1) % m] - line.points[i]).norm();
  }
  if (n <= 0 || total <= 0) return Eigen::MatrixXd(2, 0);
  Eigen::MatrixXd out(2, n); // (2, n)
  int k = 0;
  double walked = 0;
  for (const Polyline& line : lines) {
    const std::size_t m = line.points.size();
    for (std::size_t i = 0; i + 1 < m + (line.closed ? 1 : 0); ++i) {
      const Eigen::Vector2d a = line.points[i], b = line.points[(i + 1) % m];
      const double len = (b - a).norm();
      // Sample j sits at arc length (j + 0.5) / n * total.
      while (k < n && (k + 0.5) / n * total <= walked + len) {
        const double s = len > 0 ? ((k + 0.5) / n * total - walked) / len : 0;
        out.col(k++) = a + std::min(std::max(s, 0.0), 1.0) * (b - a);
      }
      walked += len;
    }
  }
  while (k < n) { // rounding at the very end
    out.col(k) = out.col(k > 0 ? k - 1 : 0);
    ++k;
  }
  return out;
}

} // namespace splinescope
