// geometry.cpp - exact tessellation: layer-by-layer cutting of convex faces held in a half-edge
// structure, and the assembly of the Tessellation.
//
// Refinement is depth first: a face X of depth l is cut by the lines of layer l (h = a . p + e is
// affine on X), the pieces get their layer-l code bits from the sign of h at their centroids,
// and each piece is refined further before the next one. Memory beyond the result is one
// scratch set per layer. The pre-activation map of the next layer on a piece Y,
//     h(l+1) = W(l+1) diag(s_Y) h(l) + b(l+1),
// costs one matrix product per face X; the pieces of X differ from a reference piece in a few
// slopes only, so theirs are rank-one updates of it.
//
// Index
//   [SECTION] Slices and regions
//   [SECTION] Half-edge structure and scratch
//   [SECTION] Cutting a face by a line
//   [SECTION] Layer-by-layer refinement
//   [SECTION] Assembly of the result
//   [SECTION] Entry points
//   [SECTION] Tessellation accessors
#include "geometry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Slices and regions
// -----------------------------------------------------------------------------------------------

Slice standard_slice(int input_dim) {
  Slice s;
  s.origin = Eigen::VectorXd::Zero(input_dim);
  s.v1 = Eigen::VectorXd::Zero(input_dim);
  s.v2 = Eigen::VectorXd::Zero(input_dim);
  if (input_dim >= 1) s.v1(0) = 1;
  if (input_dim >= 2) s.v2(1) = 1;
  return s;
}

Eigen::MatrixXd to_input_space(const Slice& slice, const Eigen::MatrixXd& P) {
  Eigen::MatrixXd X = slice.v1 * P.row(0) + slice.v2 * P.row(1); // (D, n)
  X.colwise() += slice.origin;
  return X;
}

Polygon window_polygon(const Window& w) {
  return {Eigen::Vector2d(w.x0, w.y0), Eigen::Vector2d(w.x1, w.y0), Eigen::Vector2d(w.x1, w.y1),
          Eigen::Vector2d(w.x0, w.y1)};
}

const char* to_string(TessellationStatus s) {
  switch (s) {
  case TessellationStatus::ok: return "ok";
  case TessellationStatus::tile_budget_exceeded: return "tile_budget_exceeded";
  case TessellationStatus::time_budget_exceeded: return "time_budget_exceeded";
  case TessellationStatus::invalid_input: return "invalid_input";
  case TessellationStatus::numerical_failure: return "numerical_failure";
  }
  return "?";
}

namespace {

double cross(const Eigen::Vector2d& a, const Eigen::Vector2d& b) { return a.x() * b.y() - a.y() * b.x(); }

// Counter-clockwise, without repeated or collinear vertices; empty string when fine.
std::string clean_region(const Polygon& in, Polygon& out) {
  out.clear();
  if (in.size() < 3) return "the region needs at least 3 vertices";
  double scale = 0;
  for (const Eigen::Vector2d& p : in) {
    if (!p.allFinite()) return "the region has a non-finite vertex";
    scale = std::max(scale, p.cwiseAbs().maxCoeff());
  }
  double area2 = 0;
  for (std::size_t i = 0; i < in.size(); ++i) area2 += cross(in[i], in[(i + 1) % in.size()]);
  Polygon ordered = in;
  if (area2 < 0) std::reverse(ordered.begin(), ordered.end());
  // One pass with a stack drops repeated vertices and vertices in the middle of a straight side,
  // then the seam between the last and the first vertex is cleaned the same way.
  const double eps = 1e-12;
  const double tiny = eps * std::max(scale, 1e-300);
  auto straight = [&](const Eigen::Vector2d& a, const Eigen::Vector2d& b, const Eigen::Vector2d& c) {
    const Eigen::Vector2d e1 = b - a, e2 = c - b;
    return std::abs(cross(e1, e2)) <= eps * e1.norm() * e2.norm() && e1.dot(e2) > 0;
  };
  Polygon p;
  p.reserve(ordered.size());
  for (const Eigen::Vector2d& v : ordered) {
    if (!p.empty() && (v - p.back()).norm() <= tiny) continue;
    while (p.size() >= 2 && straight(p[p.size() - 2], p.back(), v)) p.pop_back();
    p.push_back(v);
  }
  std::size_t first = 0;
  for (bool changed = true; changed && p.size() - first >= 3;) {
    changed = false;
    const std::size_t n = p.size();
    if ((p.back() - p[first]).norm() <= tiny || straight(p[n - 2], p[n - 1], p[first])) {
      p.pop_back();
      changed = true;
    } else if (straight(p[n - 1], p[first], p[first + 1])) {
      ++first;
      changed = true;
    }
  }
  p.erase(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(first));
  if (p.size() < 3) return "the region has no area";
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Eigen::Vector2d e1 = p[i] - p[(i + p.size() - 1) % p.size()];
    const Eigen::Vector2d e2 = p[(i + 1) % p.size()] - p[i];
    if (cross(e1, e2) <= 0) return "the region is not convex";
  }
  out = std::move(p);
  return "";
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Half-edge structure and scratch
// -----------------------------------------------------------------------------------------------

constexpr int kOuterFace = -1;

struct Vec2 {
  double x, y;
};

struct HalfEdge {
  int origin; // vertex index
  int twin;
  int next;   // the next half-edge of the same face, counter-clockwise
  int face;   // kOuterFace outside the region
  int label;  // global neuron index >= 0; region side i: -1 - i
  int extra;  // head of this half-edge's list of coincident neurons, -1 none
};

struct FaceShape {
  double area;
  Vec2 centroid;  // area centroid
  double radius2; // squared distance from the centroid to the farthest vertex
};

// Area and area centroid from a fan about the vertex mean: a convex combination of points of the
// polygon even when it is nearly degenerate, so the centroid always lies inside.
FaceShape shape_of(const double* xs, const double* ys, int m) {
  double mx = 0, my = 0;
  for (int i = 0; i < m; ++i) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= m;
  my /= m;
  double area2 = 0, cx = 0, cy = 0;
  double ax = xs[m - 1] - mx, ay = ys[m - 1] - my;
  for (int i = 0; i < m; ++i) {
    const double bx = xs[i] - mx, by = ys[i] - my;
    const double w = std::max(ax * by - ay * bx, 0.0);
    area2 += w;
    cx += w * (ax + bx);
    cy += w * (ay + by);
    ax = bx;
    ay = by;
  }
  FaceShape shape;
  shape.area = 0.5 * area2;
  shape.centroid = area2 > 0 ? Vec2{mx + cx / (3 * area2), my + cy / (3 * area2)} : Vec2{mx, my};
  shape.radius2 = 0;
  for (int i = 0; i < m; ++i) {
    const double dx = xs[i] - shape.centroid.x, dy = ys[i] - shape.centroid.y;
    shape.radius2 = std::max(shape.radius2, dx * dx + dy * dy);
  }
  return shape;
}

// Neurons whose zero set was found to run along an existing edge. Lists are immutable once
// shared: new entries are prepended, so the two halves of a split edge can share a tail.
struct ExtraLabel {
  int neuron;
  int next;
};

// One layer's affine map of the plane: rows [dh/du, dh/dw, h at the region centre].
using PlaneAffine = Eigen::Matrix<double, Eigen::Dynamic, 3>; // (n, 3)

// Per-neuron values of one layer, stored inline (no heap) up to the widest layer.
using LayerArray = Eigen::Array<double, Eigen::Dynamic, 1, 0, kMaxWidth, 1>; // (n_l)

// Scratch of one recursion level (one hidden layer), allocated once.
struct Level {
  PlaneAffine M;              // (n_l, 3) pre-activation of layer l on the face being refined
  PlaneAffine SM;             // (n_l, 3) diag(s_ref) M
  PlaneAffine P;              // (rows, 3) next map for the reference piece's slopes
  LayerArray tol;             // (n_l) vertex-on-line tolerance of every neuron on this face
  LayerArray val;             // (n_l) 1 where h > 0 at the face's centroid
  LayerArray near;            // (n_l) 1 where the line may meet the face
  std::vector<int> active;      // units with a nonzero slope in the reference piece
  std::vector<std::uint64_t> piece_bits; // layer-l bits of every piece
  std::vector<int> pieces;      // the face's pieces after the cuts of layer l
};

} // namespace

struct TessellationWorkspace::Buffers {
  std::vector<Vec2> verts;
  std::vector<HalfEdge> he;
  std::vector<ExtraLabel> extra;
  std::vector<int> face_edge;   // per face: one of its half-edges
  std::vector<Code> face_code;
  std::vector<FaceShape> face_shape;
  std::vector<double> face_map; // per face: (map_rows, 3) column-major, written at the last layer
  std::vector<Level> levels;
  std::vector<int> ring_he;     // half-edges of one face's ring
  std::vector<double> ring_val; // a line's values at that ring's origins
  std::vector<double> ring_x, ring_y; // coordinates of a face's vertices
  std::vector<double> shape_x, shape_y; // coordinates of the vertices of a piece being measured
  std::vector<double> cut_x, cut_y;     // coordinates of the ring of the face being cut
  std::vector<int> edge_of, he_of;    // assembly: output edge of a half-edge and back

  void clear() {
    verts.clear();
    he.clear();
    extra.clear();
    face_edge.clear();
    face_code.clear();
    face_shape.clear();
    face_map.clear();
  }
};

TessellationWorkspace::TessellationWorkspace() : buffers_(std::make_unique<Buffers>()) {}
TessellationWorkspace::~TessellationWorkspace() = default;
TessellationWorkspace::TessellationWorkspace(TessellationWorkspace&&) noexcept = default;
TessellationWorkspace& TessellationWorkspace::operator=(TessellationWorkspace&&) noexcept = default;

namespace {

class Tessellator {
public:
  Tessellator(const Network& folded, const Slice& slice, const Polygon& region, int depth,
              const TessellationOptions& options, TessellationWorkspace::Buffers& buffers)
      : net_(folded), slice_(slice), region_(region), depth_(depth), options_(options), b_(buffers) {
    const int L = net_.hidden_layers();
    for (int l = 0; l < L; ++l) {
      const Layer& layer = net_.layers[l];
      neg_slope_.push_back(activation_slope(layer.activation, layer.alpha, -1.0));
      offset_.push_back(static_cast<int>(layer_of_.size()));
      for (int k = 0; k < layer.width(); ++k) {
        layer_of_.push_back(l);
        unit_of_.push_back(k);
      }
    }
    map_rows_ = net_.layers[depth_].width();
    levels_.resize(depth_ + 1);
    for (int l = 0; l < depth_; ++l) {
      levels_[l].tol.resize(net_.layers[l].width());
      levels_[l].val.resize(net_.layers[l].width());
      levels_[l].near.resize(net_.layers[l].width());
      levels_[l].SM.resize(net_.layers[l].width(), 3);
    }
    tiles_per_layer_.assign(depth_, 0);
    if (options_.time_budget_ms > 0) {
      if (options_.clock_ms) {
        clock_ = options_.clock_ms;
      } else {
        clock_ = [] {
          using namespace std::chrono;
          return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
        };
      }
      deadline_ = clock_() + options_.time_budget_ms;
    }
  }

  TessellationStatus run();
  void assemble(Tessellation& out);
  const std::string& message() const { return message_; }

private:
  // DCEL primitives
  int add_vertex(double x, double y) {
    verts_.push_back(Vec2{x, y});
    return static_cast<int>(verts_.size()) - 1;
  }
  int split_edge(int h, double t);
  int add_face(int parent);
  void split_face(int f, int hp, int pred_p, int hq, int pred_q, int label);
  void add_coincident(int h, int neuron);
  // Algorithm
  // Reads the ring of `face` into ring_he_ and xs, ys (grown as needed, so longer than the ring);
  // returns its length, 0 for a corrupt ring.
  int read_ring(int face, std::vector<double>& xs, std::vector<double>& ys);
  bool cut(int face, int neuron, const Level& level);
  void refine(int face, int l);
  void measure(int face);
  bool check_budget();
  void fail(TessellationStatus status, std::string message) {
    if (status_ == TessellationStatus::ok) {
      status_ = status;
      message_ = std::move(message);
    }
  }
  bool failed() const { return status_ != TessellationStatus::ok; }

  const Network& net_;
  const Slice& slice_;
  const Polygon& region_;
  const int depth_;
  const TessellationOptions& options_;
  std::vector<double> neg_slope_; // per hidden layer: the slope where h <= 0
  std::vector<int> offset_;       // per layer: global index of its first neuron
  std::vector<int> layer_of_, unit_of_;
  int map_rows_ = 0;
  Eigen::Vector2d centre_ = Eigen::Vector2d::Zero(); // internal coordinates are p - centre
  double radius_ = 1;

  // Everything that grows with the tiling lives in the workspace, reused between calls.
  TessellationWorkspace::Buffers& b_;
  std::vector<Vec2>& verts_ = b_.verts;
  std::vector<HalfEdge>& he_ = b_.he;
  std::vector<ExtraLabel>& extra_ = b_.extra;
  std::vector<int>& face_edge_ = b_.face_edge;
  std::vector<Code>& face_code_ = b_.face_code;
  std::vector<FaceShape>& face_shape_ = b_.face_shape;
  std::vector<double>& face_map_ = b_.face_map;
  std::vector<Level>& levels_ = b_.levels;
  std::vector<int>& ring_he_ = b_.ring_he;
  std::vector<double>& ring_val_ = b_.ring_val;
  std::vector<double>& ring_x_ = b_.ring_x;
  std::vector<double>& ring_y_ = b_.ring_y;
  std::vector<double>& cut_x_ = b_.cut_x;
  std::vector<double>& cut_y_ = b_.cut_y;
  std::vector<double>& shape_x_ = b_.shape_x;
  std::vector<double>& shape_y_ = b_.shape_y;
  std::vector<int> tiles_per_layer_;

  TessellationStatus status_ = TessellationStatus::ok;
  std::string message_;
  std::function<double()> clock_;
  double deadline_ = 0;
  long long work_ = 0;
};

int Tessellator::split_edge(int h, double t) {
  // h: A -> B becomes A -> P (h) and P -> B (h2); its twin B -> A becomes B -> P and P -> A.
  const int tw = he_[h].twin;
  const Vec2 a = verts_[he_[h].origin], b = verts_[he_[tw].origin];
  const int v = add_vertex(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
  const int h2 = static_cast<int>(he_.size());
  const int t2 = h2 + 1;
  const HalfEdge eh = he_[h], et = he_[tw];
  he_.push_back(HalfEdge{v, tw, eh.next, eh.face, eh.label, eh.extra});
  he_.push_back(HalfEdge{v, h, et.next, et.face, et.label, et.extra});
  he_[h].next = h2;
  he_[h].twin = t2;
  he_[tw].next = t2;
  he_[tw].twin = h2;
  return h2;
}

int Tessellator::add_face(int parent) {
  const int f = static_cast<int>(face_edge_.size());
  face_edge_.push_back(-1);
  face_code_.push_back(face_code_[parent]);
  face_shape_.push_back(FaceShape{0, Vec2{0, 0}, 0});
  return f;
}

// Cuts face f along the diagonal between the origins P of hp and Q of hq (pred_*: the half-edges
// ending there). f keeps the chain P..Q, the new face gets Q..P.
void Tessellator::split_face(int f, int hp, int pred_p, int hq, int pred_q, int label) {
  const int g = add_face(f);
  const int d1 = static_cast<int>(he_.size()); // P -> Q, in g
  const int d2 = d1 + 1;                         // Q -> P, in f
  const int p = he_[hp].origin, q = he_[hq].origin;
  he_.push_back(HalfEdge{p, d2, hq, g, label, -1});
  he_.push_back(HalfEdge{q, d1, hp, f, label, -1});
  he_[pred_q].next = d2;
  he_[pred_p].next = d1;
  for (int h = hq; h != d1; h = he_[h].next) he_[h].face = g;
  face_edge_[f] = hp;
  face_edge_[g] = hq;
}

void Tessellator::add_coincident(int h, int neuron) {
  for (int e : {h, he_[h].twin}) {
    if (he_[e].label == neuron) continue;
    bool known = false;
    for (int i = he_[e].extra; i >= 0; i = extra_[i].next) known = known || extra_[i].neuron == neuron;
    if (known) continue;
    extra_.push_back(ExtraLabel{neuron, he_[e].extra});
    he_[e].extra = static_cast<int>(extra_.size()) - 1;
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Cutting a face by a line
// -----------------------------------------------------------------------------------------------

int Tessellator::read_ring(int face, std::vector<double>& xs, std::vector<double>& ys) {
  const int start = face_edge_[face];
  const int limit = static_cast<int>(he_.size());
  int m = 0, h = start;
  do {
    if (m == static_cast<int>(ring_he_.size())) ring_he_.resize(2 * m + 16);
    if (m == static_cast<int>(xs.size())) {
      xs.resize(2 * m + 16);
      ys.resize(2 * m + 16);
    }
    ring_he_[m] = h;
    const Vec2 v = verts_[he_[h].origin];
    xs[m] = v.x;
    ys[m] = v.y;
    h = he_[h].next;
    if (++m > limit) {
      fail(TessellationStatus::numerical_failure, "corrupt face ring");
      return 0;
    }
  } while (h != start);
  return m;
}

// Splits `face` along the zero line of `neuron` (a row of level.M) when the line crosses its
// interior; records the neuron on a side it runs along. Returns true when the face was split.
bool Tessellator::cut(int face, int neuron, const Level& level) {
  const int k = unit_of_[neuron];
  const double au = level.M(k, 0), aw = level.M(k, 1), e = level.M(k, 2);
  const double tol = level.tol(k);
  const int m = read_ring(face, cut_x_, cut_y_);
  if (m == 0) return false;
  if (static_cast<int>(ring_val_.size()) < m) ring_val_.resize(2 * m);
  const double* xs = cut_x_.data();
  const double* ys = cut_y_.data();
  double* val = ring_val_.data();
  int imax = 0, imin = 0;
  for (int i = 0; i < m; ++i) {
    val[i] = au * xs[i] + aw * ys[i] + e;
    imax = val[i] > val[imax] ? i : imax;
    imin = val[i] < val[imin] ? i : imin;
  }
  if (ring_val_[imax] <= tol || ring_val_[imin] >= -tol) {
    // No cut. A side whose two ends lie on the line carries this neuron's zero set too.
    for (int i = 0; i < m; ++i)
      if (std::abs(ring_val_[i]) <= tol && std::abs(ring_val_[(i + 1) % m]) <= tol)
        add_coincident(ring_he_[i], neuron);
    return false;
  }
  if (!check_budget()) return false;
  // P: where the boundary leaves the positive side, walking forward from the maximum; Q: where it
  // leaves the negative side, walking forward from the minimum. Each is an existing vertex on the
  // line (within tol) or a new vertex inside a crossing edge. Starting from strict vertices
  // guarantees P != Q and that both pieces keep a strict vertex, so neither has zero area.
  // Both walks end within m steps (the maximum is > tol, the minimum < -tol); the bound only
  // guards against values that are not numbers.
  int i = imax, steps = 0;
  while (!(val[i] > tol && val[(i + 1) % m] <= tol) && ++steps <= m) i = (i + 1) % m;
  int j = imin;
  while (!(val[j] < -tol && val[(j + 1) % m] >= -tol) && ++steps <= 2 * m) j = (j + 1) % m;
  if (steps > 2 * m) {
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return false;
  }
  const int inext = (i + 1) % m, jnext = (j + 1) % m;
  int hp, pred_p = ring_he_[i], hq, pred_q = ring_he_[j];
  if (ring_val_[inext] >= -tol) {
    hp = ring_he_[inext];
  } else {
    const double t = ring_val_[i] / (ring_val_[i] - ring_val_[inext]);
    hp = split_edge(ring_he_[i], t);
  }
  if (ring_val_[jnext] <= tol) {
    hq = ring_he_[jnext];
  } else {
    const double t = ring_val_[j] / (ring_val_[j] - ring_val_[jnext]);
    hq = split_edge(ring_he_[j], t);
  }
  split_face(face, hp, pred_p, hq, pred_q, neuron);
  // Shapes of the two pieces from the ring just read: face = P, ring[inext..j], Q (P and Q
  // counted once when they are ring vertices); the new face = Q, ring[jnext..i], P.
  const Vec2 p = verts_[he_[hp].origin], q = verts_[he_[hq].origin];
  if (static_cast<int>(shape_x_.size()) < m + 2) {
    shape_x_.resize(2 * m + 4);
    shape_y_.resize(2 * m + 4);
  }
  auto piece = [&](const Vec2& first, int from, int to, const Vec2& last, int target) {
    double* px = shape_x_.data();
    double* py = shape_y_.data();
    int c = 0;
    px[c] = first.x;
    py[c++] = first.y;
    for (int r = from;; r = r + 1 == m ? 0 : r + 1) {
      if (!(r == from && xs[r] == first.x && ys[r] == first.y)) {
        px[c] = xs[r];
        py[c++] = ys[r];
      }
      if (r == to) break;
    }
    if (!(last.x == px[c - 1] && last.y == py[c - 1])) {
      px[c] = last.x;
      py[c++] = last.y;
    }
    face_shape_[target] = shape_of(px, py, c);
  };
  piece(p, inext, j, q, face);
  piece(q, jnext, i, p, static_cast<int>(face_edge_.size()) - 1);
  return true;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Layer-by-layer refinement
// -----------------------------------------------------------------------------------------------

bool Tessellator::check_budget() {
  if (failed()) return false;
  if (static_cast<long long>(face_edge_.size()) >= options_.max_tiles) {
    fail(TessellationStatus::tile_budget_exceeded,
         "more than " + std::to_string(options_.max_tiles) + " tiles");
    return false;
  }
  if (clock_ && (++work_ & 63) == 0 && clock_() > deadline_) {
    fail(TessellationStatus::time_budget_exceeded,
         "more than " + std::to_string(options_.time_budget_ms) + " ms");
    return false;
  }
  return true;
}

// The shape of a face from its ring.
void Tessellator::measure(int face) {
  const int m = read_ring(face, shape_x_, shape_y_);
  if (m > 0) face_shape_[face] = shape_of(shape_x_.data(), shape_y_.data(), m);
}

// Overflow anywhere upstream shows up in the next map as inf or NaN, and so in its sum (which
// Eigen vectorises, unlike allFinite()).
bool finite(const PlaneAffine& P) { return std::isfinite(P.sum()); }

// P = W diag(s_ref) M + b for the next layer, over the active units only. Blocks of four rows
// keep twelve accumulators in registers while the active columns of W stream past.
void multiply_next(const Layer& next, Level& level) {
  const int rows = next.width();
  level.P.resize(rows, 3);
  const double* W = next.W.data(); // column-major (rows, n)
  const int blocked = rows & ~3;
  for (int r = 0; r < blocked; r += 4) {
    Eigen::Array4d a = Eigen::Array4d::Zero(), b = a, c = a; // rows r..r+3 of P's three columns
    for (int k : level.active) {
      const Eigen::Map<const Eigen::Array4d> w(W + static_cast<std::ptrdiff_t>(k) * rows + r);
      a += level.SM(k, 0) * w;
      b += level.SM(k, 1) * w;
      c += level.SM(k, 2) * w;
    }
    level.P.block<4, 1>(r, 0) = a.matrix();
    level.P.block<4, 1>(r, 1) = b.matrix();
    level.P.block<4, 1>(r, 2) = c.matrix() + next.b.segment<4>(r);
  }
  for (int r = blocked; r < rows; ++r) {
    double a = 0, b = 0, c = 0;
    for (int k : level.active) {
      const double w = W[static_cast<std::ptrdiff_t>(k) * rows + r];
      a += level.SM(k, 0) * w;
      b += level.SM(k, 1) * w;
      c += level.SM(k, 2) * w;
    }
    level.P(r, 0) = a;
    level.P(r, 1) = b;
    level.P(r, 2) = c + next.b(r);
  }
}

// Sets the bits of one layer (n <= 64 neurons from global index offset), given as one word.
void set_layer_bits(Code& code, int offset, int n, std::uint64_t bits) {
  const int w = offset >> 6, shift = offset & 63;
  code.words[w] |= bits << shift;
  if (shift != 0 && shift + n > 64) code.words[w + 1] |= bits >> (64 - shift);
}

// Calls visit(k) for every set bit k, lowest first.
template <class Visit> void for_each_bit(std::uint64_t bits, Visit&& visit) {
  while (bits) {
    visit(__builtin_ctzll(bits));
    bits &= bits - 1;
  }
}

// Face `face` of depth l (already measured), with levels_[l].M the pre-activation of layer l on it.
void Tessellator::refine(int face, int l) {
  Level& level = levels_[l];
  const Layer& layer = net_.layers[l];
  const int n = layer.width();
  const int offset = offset_[l];
  const bool kink = layer.activation != Activation::linear;
  level.pieces.clear();
  level.pieces.push_back(face);
  level.piece_bits.clear();
  if (!check_budget()) return;
  std::uint64_t candidates = 0; // units whose line may meet the face
  std::uint64_t positive = 0;   // units with h > 0 at the face's centroid
  if (kink) {
    // A line farther from the centroid than the farthest vertex (plus the tolerance) misses the
    // face: its sign is the same on every piece, the sign at the centroid. The others are
    // candidates; cut() decides exactly, on the vertices of each piece. Branch-free: the signs
    // are coin flips to a branch predictor.
    const FaceShape shape = face_shape_[face];
    const double reach2 = shape.radius2 * (1 + 1e-9);
    const double cx = shape.centroid.x, cy = shape.centroid.y, eps = options_.tolerance, R = radius_;
    const double* mu = level.M.col(0).data();
    const double* mw = level.M.col(1).data();
    const double* mo = level.M.col(2).data();
    double* tols = level.tol.data();
    double* near = level.near.data();
    double* pos = level.val.data();
    for (int k = 0; k < n; ++k) {
      const double u = mu[k], w = mw[k], o = mo[k];
      const double tol = eps * ((std::abs(u) + std::abs(w)) * R + std::abs(o));
      const double v = u * cx + w * cy + o;
      const double margin = std::abs(v) - tol;
      tols[k] = tol;
      near[k] = margin <= 0 || margin * margin <= (u * u + w * w) * reach2 ? 1.0 : 0.0;
      pos[k] = v > 0 ? 1.0 : 0.0;
    }
    for (int k = 0; k < n; ++k) {
      candidates |= static_cast<std::uint64_t>(near[k] != 0) << k;
      positive |= static_cast<std::uint64_t>(pos[k] != 0) << k;
    }
    // Exact test of the candidates on the face's vertices; only lines that cross it (or run
    // along a side) are tried on its pieces.
    if (candidates) {
      const int m = read_ring(face, ring_x_, ring_y_);
      if (m == 0) return;
      const double* rx = ring_x_.data();
      const double* ry = ring_y_.data();
      for (std::uint64_t left = candidates; left && !failed(); left &= left - 1) {
        const int k = __builtin_ctzll(left);
        const double u = mu[k], w = mw[k], o = mo[k], tol = tols[k];
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        int zeros = 0;
        for (int j = 0; j < m; ++j) {
          const double v = u * rx[j] + w * ry[j] + o;
          lo = std::min(lo, v);
          hi = std::max(hi, v);
          zeros += std::abs(v) <= tol;
        }
        if (!((hi > tol && lo < -tol) || zeros >= 2)) continue;
        // Pieces are kept measured, so a line is tried only on pieces whose bounding circle it
        // meets.
        const double g2 = (u * u + w * w) * (1 + 1e-9);
        const int count = static_cast<int>(level.pieces.size());
        for (int i = 0; i < count; ++i) {
          const FaceShape& piece = face_shape_[level.pieces[i]];
          const double margin = std::abs(u * piece.centroid.x + w * piece.centroid.y + o) - tol;
          if (margin > 0 && margin * margin > g2 * piece.radius2) continue;
          if (cut(level.pieces[i], offset + k, level))
            level.pieces.push_back(static_cast<int>(face_edge_.size()) - 1);
          if (failed()) return;
        }
      }
    }
  }
  // Layer-l bits of every piece: the centroid's sign for the lines that miss the face, the
  // piece's own centroid's for the candidates (as forward() decides them).
  const std::uint64_t common = positive & ~candidates;
  for (int piece : level.pieces) {
    const Vec2 c = face_shape_[piece].centroid;
    std::uint64_t bits = common;
    for_each_bit(candidates, [&](int k) {
      bits |= static_cast<std::uint64_t>(level.M(k, 0) * c.x + level.M(k, 1) * c.y + level.M(k, 2) > 0) << k;
    });
    set_layer_bits(face_code_[piece], offset, n, bits);
    level.piece_bits.push_back(bits);
  }
  tiles_per_layer_[l] += static_cast<int>(level.pieces.size());

  // The next map on every piece: one product for the reference piece, rank-one updates for the
  // slopes in which another piece differs from it.
  const Layer& next = net_.layers[l + 1];
  const int rows = next.width();
  const double neg = neg_slope_[l];
  const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  const std::uint64_t ref = level.piece_bits[0];
  level.active.clear();
  for_each_bit(neg == 0 ? ref : all, [&](int k) {
    const double s = (ref >> k) & 1 ? 1.0 : neg;
    level.SM.row(k) = s * level.M.row(k);
    level.active.push_back(k);
  });
  multiply_next(next, level);
  if (!finite(level.P)) {
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return;
  }
  const bool last = l + 1 == depth_;
  if (last && face_map_.size() < face_edge_.size() * rows * 3)
    face_map_.resize(face_edge_.size() * rows * 3);
  for (std::size_t i = 0; i < level.pieces.size(); ++i) {
    const int piece = level.pieces[i];
    const std::uint64_t bits = level.piece_bits[i];
    // The piece's map: P plus one rank-one term per slope in which it differs from the reference,
    // written straight into the next level's scratch or the face's final map.
    double* t;
    if (last) {
      t = &face_map_[static_cast<std::size_t>(piece) * rows * 3];
    } else {
      levels_[l + 1].M.resize(rows, 3);
      t = levels_[l + 1].M.data();
    }
    std::copy(level.P.data(), level.P.data() + 3 * rows, t);
    for_each_bit(bits ^ ref, [&](int k) {
      const double ds = (bits >> k) & 1 ? 1.0 - neg : neg - 1.0; // slope(piece) - slope(ref)
      const double a0 = ds * level.M(k, 0), a1 = ds * level.M(k, 1), a2 = ds * level.M(k, 2);
      const double* w = next.W.col(k).data();
      for (int r = 0; r < rows; ++r) {
        t[r] += a0 * w[r];
        t[rows + r] += a1 * w[r];
        t[2 * rows + r] += a2 * w[r];
      }
    });
    if (!last) {
      refine(piece, l + 1);
      if (failed()) return;
    }
  }
}

TessellationStatus Tessellator::run() {
  // Internal coordinates are centred on the region, so tolerances scale with its size only.
  centre_.setZero();
  for (const Eigen::Vector2d& p : region_) centre_ += p;
  centre_ /= static_cast<double>(region_.size());
  radius_ = 0;
  for (const Eigen::Vector2d& p : region_) radius_ = std::max(radius_, (p - centre_).norm());

  const int n = static_cast<int>(region_.size());
  b_.clear(); // capacity stays: a reused workspace allocates nothing once sizes settle
  const std::size_t estimate = std::min(options_.max_tiles, 1024) + 1;
  verts_.reserve(estimate * 2);
  he_.reserve(estimate * 8);
  face_edge_.reserve(estimate);
  face_code_.reserve(estimate);
  face_shape_.reserve(estimate);
  for (int i = 0; i < n; ++i) add_vertex(region_[i].x() - centre_.x(), region_[i].y() - centre_.y());
  for (int i = 0; i < n; ++i) // inner ring: side i goes from vertex i to i+1
    he_.push_back(HalfEdge{i, n + i, (i + 1) % n, 0, -1 - i, -1});
  for (int i = 0; i < n; ++i) // outer ring: i+1 -> i, clockwise around the region
    he_.push_back(HalfEdge{(i + 1) % n, i, n + (i + n - 1) % n, kOuterFace, -1 - i, -1});
  face_edge_.push_back(0);
  face_code_.push_back(Code{});
  face_shape_.push_back(FaceShape{0, Vec2{0, 0}, 0});

  // The pre-activation of layer 0 in internal coordinates: x = origin + V (centre + y).
  const Layer& first = net_.layers[0];
  Eigen::VectorXd centre_x = slice_.origin + slice_.v1 * centre_.x() + slice_.v2 * centre_.y(); // (D)
  PlaneAffine M0(first.width(), 3); // (n_0, 3)
  M0.col(0) = first.W * slice_.v1;
  M0.col(1) = first.W * slice_.v2;
  M0.col(2) = first.W * centre_x + first.b;
  if (!M0.allFinite()) {
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return status_;
  }
  measure(0);
  if (depth_ == 0) {
    face_map_.assign(M0.data(), M0.data() + M0.size());
    return status_;
  }
  levels_[0].M = M0;
  refine(0, 0);
  return status_;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Assembly of the result
// -----------------------------------------------------------------------------------------------

void Tessellator::assemble(Tessellation& out) {
  const int F = static_cast<int>(face_edge_.size());
  const int rows = map_rows_;
  out.vertices.resize(verts_.size());
  for (std::size_t v = 0; v < verts_.size(); ++v)
    out.vertices[v] = Eigen::Vector2d(verts_[v].x, verts_[v].y) + centre_;
  out.tiles.resize(F);
  out.edges.clear();
  out.edges.reserve(he_.size());
  out.A.resize(rows, 2 * F);
  out.c.resize(rows, F);
  out.tiles_per_layer = tiles_per_layer_;
  std::vector<int>& edge_of = b_.edge_of; // output edge of every inner half-edge
  std::vector<int>& he_of = b_.he_of;     // half-edge of every output edge
  edge_of.assign(he_.size(), -1);
  he_of.clear();
  auto edge_label = [&](int label, TileEdge& e) {
    if (label >= 0) {
      e.layer = layer_of_[label];
      e.neuron = unit_of_[label];
    } else {
      e.layer = -1;
      e.neuron = -1 - label;
    }
  };
  for (int f = 0; f < F; ++f) {
    Tile& tile = out.tiles[f];
    // One walk around the face, then its edges from a corner, so polygon() starts at a vertex
    // of the convex shape.
    ring_he_.clear();
    int h = face_edge_[f];
    do {
      ring_he_.push_back(h);
      h = he_[h].next;
    } while (h != face_edge_[f] && ring_he_.size() <= he_.size());
    const int m = static_cast<int>(ring_he_.size());
    int start = 0;
    while (start < m && he_[ring_he_[(start + m - 1) % m]].label == he_[ring_he_[start]].label) ++start;
    if (start == m) start = 0;
    tile.first_edge = static_cast<int>(out.edges.size());
    int corners = 0;
    int prev_label = he_[ring_he_[(start + m - 1) % m]].label;
    for (int i = 0; i < m; ++i) {
      const int hi = ring_he_[(start + i) % m];
      const HalfEdge& he = he_[hi];
      TileEdge e;
      e.from = he.origin;
      e.to = he_[ring_he_[(start + i + 1) % m]].origin;
      edge_label(he.label, e);
      const int other = he_[he.twin].face;
      e.neighbour = other == kOuterFace ? -1 : other;
      e.coincident = he.extra;
      corners += he.label != prev_label;
      prev_label = he.label;
      edge_of[hi] = static_cast<int>(out.edges.size());
      he_of.push_back(hi);
      out.edges.push_back(e);
    }
    tile.edge_count = static_cast<int>(out.edges.size()) - tile.first_edge;
    tile.corner_count = corners >= 3 ? corners : tile.edge_count;
    tile.code = face_code_[f];
    tile.area = face_shape_[f].area;
    tile.centroid = Eigen::Vector2d(face_shape_[f].centroid.x, face_shape_[f].centroid.y) + centre_;
    Eigen::Map<const PlaneAffine> map(&face_map_[static_cast<std::size_t>(f) * rows * 3], rows, 3);
    out.A.middleCols(2 * f, 2) = map.leftCols(2);
    out.c.col(f) = map.col(2) - map.leftCols(2) * centre_;
  }
  for (std::size_t e = 0; e < out.edges.size(); ++e) {
    const int tw = he_[he_of[e]].twin;
    out.edges[e].twin = edge_of[tw];
  }
  out.coincident.resize(extra_.size());
  for (std::size_t i = 0; i < extra_.size(); ++i) {
    out.coincident[i].layer = layer_of_[extra_[i].neuron];
    out.coincident[i].neuron = unit_of_[extra_[i].neuron];
    out.coincident[i].next = extra_[i].next;
  }
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Entry points
// -----------------------------------------------------------------------------------------------

namespace {
std::string check_inputs(const Network& net, const Slice& slice) {
  if (net.layers.empty()) return "the network has no layers";
  const int D = net.input_dim;
  if (slice.origin.size() != D || slice.v1.size() != D || slice.v2.size() != D)
    return "the slice has " + std::to_string(slice.origin.size()) +
           " coordinates, the network expects " + std::to_string(D);
  if (!slice.origin.allFinite() || !slice.v1.allFinite() || !slice.v2.allFinite())
    return "the slice is not finite";
  int fan_in = D;
  for (const Layer& layer : net.layers) {
    if (layer.W.cols() != fan_in || layer.b.size() != layer.W.rows())
      return "the network's layer shapes do not chain";
    fan_in = layer.width();
  }
  if (net.hidden_neurons() > kMaxHiddenNeurons) return "the network has too many hidden neurons";
  return "";
}
} // namespace

void tessellate_into(Tessellation& out, TessellationWorkspace& workspace, const Network& net,
                     const Slice& slice, const Polygon& region, const TessellationOptions& options) {
  // Reset every field, keeping the memory of the vectors.
  out.status = TessellationStatus::ok;
  out.message.clear();
  out.depth = 0;
  out.hidden_layers = net.hidden_layers();
  out.outputs = net.outputs();
  out.widths.clear();
  out.code_neurons = 0;
  out.map_rows = 0;
  out.slice = slice;
  out.vertices.clear();
  out.edges.clear();
  out.tiles.clear();
  out.A.resize(0, 0);
  out.c.resize(0, 0);
  out.tiles_per_layer.clear();
  out.coincident.clear();
  std::string problem = check_inputs(net, slice);
  if (problem.empty()) problem = clean_region(region, out.region);
  if (problem.empty() && options.max_tiles < 1) problem = "the tile budget must be at least 1";
  if (!problem.empty()) {
    out.status = TessellationStatus::invalid_input;
    out.message = problem;
    return;
  }
  const int L = out.hidden_layers;
  out.depth = options.layers < 0 || options.layers > L ? L : options.layers;
  for (int l = 0; l < out.depth; ++l) out.widths.push_back(net.layers[l].width());
  out.code_neurons = net.neuron_offset(out.depth);
  out.map_rows = net.layers[out.depth].width();

  const Network folded = net.folded();
  for (const Layer& layer : folded.layers) {
    if (!layer.W.allFinite() || !layer.b.allFinite()) {
      out.status = TessellationStatus::numerical_failure;
      out.message = "the network has non-finite weights";
      return;
    }
  }
  Tessellator t(folded, out.slice, out.region, out.depth, options, workspace.buffers());
  out.status = t.run();
  if (out.status != TessellationStatus::ok) {
    out.message = t.message();
    return;
  }
  t.assemble(out);
}

Tessellation tessellate(const Network& net, const Slice& slice, const Polygon& region,
                        const TessellationOptions& options) {
  Tessellation out;
  TessellationWorkspace workspace;
  tessellate_into(out, workspace, net, slice, region, options);
  return out;
}

Tessellation tessellate(const Network& net, const Polygon& region, const TessellationOptions& options) {
  return tessellate(net, standard_slice(net.input_dim), region, options);
}

Tessellation tessellate(const Network& net, const Window& window, const TessellationOptions& options) {
  return tessellate(net, standard_slice(net.input_dim), window_polygon(window), options);
}

std::vector<Tessellation> tessellate_layers(const Network& net, const Slice& slice,
                                            const Polygon& region,
                                            const TessellationOptions& options) {
  std::vector<Tessellation> out;
  TessellationOptions o = options;
  for (int l = 1; l <= std::max(net.hidden_layers(), 1); ++l) {
    o.layers = l;
    out.push_back(tessellate(net, slice, region, o));
    if (!out.back().ok()) break;
  }
  return out;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Tessellation accessors
// -----------------------------------------------------------------------------------------------

Eigen::VectorXd Tessellation::evaluate(int t, const Eigen::Vector2d& p) const {
  return tile_A(t) * p + tile_c(t);
}

Polygon Tessellation::polygon(int t) const {
  const Tile& tile = tiles[t];
  Polygon p;
  p.reserve(tile.edge_count);
  for (int e = tile.first_edge; e < tile.first_edge + tile.edge_count; ++e)
    p.push_back(vertices[edges[e].from]);
  return p;
}

Polygon Tessellation::corners(int t) const {
  const Tile& tile = tiles[t];
  Polygon p;
  for (int i = 0; i < tile.edge_count; ++i) {
    const TileEdge& e = edges[tile.first_edge + i];
    const TileEdge& prev = edges[tile.first_edge + (i + tile.edge_count - 1) % tile.edge_count];
    if (e.layer != prev.layer || e.neuron != prev.neuron || tile.corner_count == tile.edge_count)
      p.push_back(vertices[e.from]);
  }
  return p;
}

} // namespace splinescope
