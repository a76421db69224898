// geometry.cpp - exact tessellation: layer-by-layer cutting of convex faces held in a half-edge
// structure, and the assembly of the Tessellation.
//
// Refinement is depth first: a face X of depth l is cut by the lines of layer l (h = a . p + e is
// affine on X), the pieces get their layer-l code bits from the sign of h at their centroids,
// and each piece is refined further before the next one. Memory beyond the result is one
// scratch set per layer. Where the time goes, and what keeps it short:
//   - Testing every line of a layer on every face: a branch-free bounding-box test, vectorised,
//     with no tolerance or square root per line, leaves a few candidates for the exact test.
//   - The map of the next layer on each piece, h(l+1) = W(l+1) diag(s_Y) h(l) + b(l+1): one
//     matrix product per face X (or fewer: a face's product is an update of the product of the
//     sibling it was cut from, one matrix-vector product per unit in which they differ), and for
//     every other piece the map of the piece it was cut from plus one rank-one term per slope in
//     which the two differ.
//   - No allocation once the workspace has grown, no block copies of maps (passed by pointer).
// geometry_reference.h declares the straightforward version the tests compare against.
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
#include "geometry_reference.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

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

Slice slice_through(const Eigen::VectorXd& a, const Eigen::VectorXd& b, const Eigen::VectorXd& c) {
  if (b.size() != a.size() || c.size() != a.size())
    throw std::invalid_argument("the three points of a slice must have the same dimension");
  return Slice{a, b - a, c - a};
}

Slice orthonormal_slice_through(const Eigen::VectorXd& a, const Eigen::VectorXd& b,
                                const Eigen::VectorXd& c) {
  if (b.size() != a.size() || c.size() != a.size())
    throw std::invalid_argument("the three points of a slice must have the same dimension");
  const Eigen::VectorXd ab = b - a; // (D)
  const double length = ab.norm();
  if (!(length > 0)) throw std::invalid_argument("the first two points of the slice coincide");
  const Eigen::VectorXd v1 = ab / length; // (D)
  Eigen::VectorXd v2 = (c - a) - (c - a).dot(v1) * v1; // (D) Gram-Schmidt
  const double height = v2.norm();
  if (!(height > 1e-12 * std::max(1.0, (c - a).norm())))
    throw std::invalid_argument("the three points of the slice lie on one line");
  v2 /= height;
  return Slice{a, v1, v2};
}

Eigen::Vector2d plane_coordinates(const Slice& slice, const Eigen::VectorXd& x) {
  // Least squares: [v1 v2]^T [v1 v2] (u, w) = [v1 v2]^T (x - origin).
  const Eigen::VectorXd d = x - slice.origin; // (D)
  Eigen::Matrix2d G;
  G << slice.v1.dot(slice.v1), slice.v1.dot(slice.v2), slice.v2.dot(slice.v1), slice.v2.dot(slice.v2);
  return G.ldlt().solve(Eigen::Vector2d(slice.v1.dot(d), slice.v2.dot(d)));
}

Network restrict_to_slice(const Network& net_in, const Slice& slice) {
  const int D = net_in.input_dim;
  if (slice.origin.size() != D || slice.v1.size() != D || slice.v2.size() != D)
    throw std::invalid_argument("the slice's vectors have " + std::to_string(slice.origin.size()) +
                                " coordinates; the network takes " + std::to_string(D));
  Network net = net_in.folded();
  if (net.layers.empty()) return net;
  Layer& first = net.layers.front();
  Eigen::MatrixXd W(first.width(), 2); // (n_1, 2)
  W.col(0).noalias() = first.W * slice.v1;
  W.col(1).noalias() = first.W * slice.v2;
  first.b.noalias() += first.W * slice.origin;
  first.W = std::move(W);
  net.input_dim = 2;
  return net;
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

// Counter-clockwise, without repeated or collinear vertices; empty string when fine. `ordered`
// is scratch (kept by the caller, so that a call allocates nothing once sizes have settled).
std::string clean_region(const Polygon& in, Polygon& ordered, Polygon& out) {
  out.clear();
  if (in.size() < 3) return "the region needs at least 3 vertices";
  double scale = 0;
  for (const Eigen::Vector2d& p : in) {
    if (!p.allFinite()) return "the region has a non-finite vertex";
    scale = std::max(scale, p.cwiseAbs().maxCoeff());
  }
  double area2 = 0;
  for (std::size_t i = 0; i < in.size(); ++i) area2 += cross(in[i], in[(i + 1) % in.size()]);
  ordered.assign(in.begin(), in.end());
  if (area2 < 0) std::reverse(ordered.begin(), ordered.end());
  // One pass with a stack drops repeated vertices and vertices in the middle of a straight side,
  // then the seam between the last and the first vertex is cleaned the same way.
  const double eps = 1e-12;
  const double tiny = eps * std::max(scale, 1e-300);
  auto straight = [&](const Eigen::Vector2d& a, const Eigen::Vector2d& b, const Eigen::Vector2d& c) {
    const Eigen::Vector2d e1 = b - a, e2 = c - b;
    return std::abs(cross(e1, e2)) <= eps * e1.norm() * e2.norm() && e1.dot(e2) > 0;
  };
  Polygon& p = out;
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
  if (p.size() < 3) {
    out.clear();
    return "the region has no area";
  }
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Eigen::Vector2d e1 = p[i] - p[(i + p.size() - 1) % p.size()];
    const Eigen::Vector2d e2 = p[(i + 1) % p.size()] - p[i];
    if (cross(e1, e2) <= 0) {
      out.clear();
      return "the region is not convex";
    }
  }
  return "";
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Half-edge structure and scratch
// -----------------------------------------------------------------------------------------------

constexpr int kOuterFace = -1;

// Longest chain of incremental updates behind a map: rounding grows with it.
constexpr int kMaxChain = 16;

// Relative slack of the bounding-box tests over the rounding of their bounds (the tests only
// skip work: a line they keep is decided exactly on the vertices).
constexpr double kSlack = 1e-12;

struct Vec2 {
  double x, y;
};

// A half-edge is kept in two parts. The part every walk around a face reads is 8 bytes, so
// that the rings of tens of thousands of half-edges stay in a core's L2 cache (walks are chains
// of dependent loads; with the whole half-edge, 24 bytes, they missed it).
struct HalfEdge {
  int origin; // vertex index
  int next;   // the next half-edge of the same face, counter-clockwise
};

// The rest of a half-edge: read where edges are split or labelled and where the result is
// assembled.
struct HalfEdgeInfo {
  int twin;
  int face;  // kOuterFace outside the region
  int label; // global neuron index >= 0; region side i: -1 - i
  int extra; // head of this half-edge's list of coincident neurons, -1 none
};

struct FaceShape {
  double area;
  Vec2 centroid;  // area centroid
  Vec2 lo, hi;    // bounding box
};

// Area and area centroid from a fan of triangles about the first vertex, whose areas are clamped
// at 0: a convex combination of points of the polygon even when it is nearly degenerate, so the
// centroid always lies inside. One pass (m >= 3) also finds the bounding box.
FaceShape shape_of(const double* xs, const double* ys, int m) {
  const double ox = xs[0], oy = ys[0];
  double x0 = std::min(ox, xs[1]), x1 = std::max(ox, xs[1]);
  double y0 = std::min(oy, ys[1]), y1 = std::max(oy, ys[1]);
  double area2 = 0, cx = 0, cy = 0;
  double ax = xs[1] - ox, ay = ys[1] - oy;
  for (int i = 2; i < m; ++i) {
    x0 = std::min(x0, xs[i]);
    x1 = std::max(x1, xs[i]);
    y0 = std::min(y0, ys[i]);
    y1 = std::max(y1, ys[i]);
    const double bx = xs[i] - ox, by = ys[i] - oy;
    const double w = std::max(ax * by - ay * bx, 0.0);
    area2 += w;
    cx += w * (ax + bx);
    cy += w * (ay + by);
    ax = bx;
    ay = by;
  }
  FaceShape shape;
  shape.area = 0.5 * area2;
  if (area2 > 0) {
    shape.centroid = Vec2{ox + cx / (3 * area2), oy + cy / (3 * area2)};
  } else { // no area at all: the vertex mean
    double mx = 0, my = 0;
    for (int i = 0; i < m; ++i) {
      mx += xs[i];
      my += ys[i];
    }
    shape.centroid = Vec2{mx / m, my / m};
  }
  shape.lo = Vec2{x0, y0};
  shape.hi = Vec2{x1, y1};
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

// A (rows, 3) column-major plane map held elsewhere (a parent's piece maps, the region's map):
// the recursion passes maps down without copying them.
struct MapView {
  const double* data = nullptr;
  int rows = 0;
  double operator()(int k, int j) const { return data[j * rows + k]; }
  const double* col(int j) const { return data + j * rows; }
};

// Makes scratch at least n long. Never shrinks, and grows by doubling: resize() to each face's
// count would zero the new part in an out-of-line call whenever the count rises.
template <class T> void grow(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(std::max(n, 2 * v.size()));
}

// Scratch of one recursion level (one hidden layer), allocated once.
struct Level {
  MapView M;      // (n_l, 3) pre-activation of layer l on the face being refined
  LayerArray tol; // (n_l) vertex-on-line tolerance of every neuron on this face
  // The face's pieces after the cuts of layer l, in the order they were made.
  std::vector<int> pieces;               // face ids; pieces[0] is the face itself
  std::vector<int> creator;              // the piece each one was cut from (index into pieces)
  std::vector<std::uint64_t> piece_bits; // layer-l bits of every piece
  std::vector<int> chain;                // rank-one steps behind every piece's map
  std::vector<double> maps;              // (rows, 3) per piece: the next map on it
  std::vector<const double*> map_of;     // where each piece's map is (maps, P, or the face's)
  // The faces refined at this depth come as the pieces of one face of depth l - 1 after
  // another. Their products P (the next map on their pieces[0]) are kept, indexed like those
  // pieces, for the siblings that were cut from them.
  int sibling = 0;                        // index of this face among its parent's pieces
  std::vector<double> sibling_P;          // (rows, 3) per sibling
  std::vector<std::uint64_t> sibling_ref; // layer-l bits of each sibling's pieces[0]
  std::vector<int> sibling_chain;         // incremental products behind each sibling's P
  // Scratch of the products.
  std::vector<int> active;                // units with a nonzero slope
  std::vector<const double*> cols;        // their columns of W(l+1)
  std::vector<double> coef;               // their coefficients
  Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxWidth, 1> column; // (rows)
};

} // namespace

struct TessellationWorkspace::Buffers {
  std::vector<Vec2> verts;
  std::vector<HalfEdge> he;
  std::vector<HalfEdgeInfo> he_info; // indexed like he
  std::vector<ExtraLabel> extra;
  std::vector<int> face_edge;   // per face: one of its half-edges
  std::vector<std::uint64_t> face_code; // per face: the words of its code that depth uses
  std::vector<FaceShape> face_shape;
  std::vector<double> face_map; // per face: (map_rows, 3) column-major, written at the last layer
  std::vector<double> root_map; // (n_0, 3) the first layer's map on the region
  std::vector<Level> levels;
  std::vector<int> ring_he;     // half-edges of one face's ring
  std::vector<double> ring_val; // a line's values at that ring's origins
  std::vector<double> ring_x, ring_y; // coordinates of a face's vertices
  std::vector<double> shape_x, shape_y; // coordinates of the vertices of a piece being measured
  std::vector<double> cut_x, cut_y;     // coordinates of the ring of the face being cut
  std::vector<int> edge_of;           // assembly: output edge of every inner half-edge
  Polygon region_scratch;             // clean_region()
  Network folded;                     // the network with batch norm folded in, when it has any

  void clear() {
    verts.clear();
    he.clear();
    he_info.clear();
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
              const TessellationOptions& options, TessellationWorkspace::Buffers& buffers,
              bool reference)
      : net_(folded), slice_(slice), region_(region), depth_(depth), options_(options),
        reference_(reference), b_(buffers) {
    const int L = net_.hidden_layers();
    int neurons = 0;
    for (int l = 0; l < L; ++l) {
      const Layer& layer = net_.layers[l];
      neg_slope_[l] = activation_slope(layer.activation, layer.alpha, -1.0);
      offset_[l] = neurons;
      for (int k = 0; k < layer.width(); ++k, ++neurons) {
        layer_of_[neurons] = l;
        unit_of_[neurons] = k;
      }
    }
    map_rows_ = net_.layers[depth_].width();
    code_words_ = std::max(1, (net_.neuron_offset(depth_) + 63) / 64);
    levels_.resize(depth_ + 1);
    for (int l = 0; l < depth_; ++l) {
      levels_[l].tol.resize(net_.layers[l].width());
    }
    tiles_per_layer_.fill(0);
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
  void add_half_edge(int origin, int twin, int next, int face, int label, int extra) {
    he_.push_back(HalfEdge{origin, next});
    info_.push_back(HalfEdgeInfo{twin, face, label, extra});
  }
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
  // ring_read > 0: ring_he_, ring_x_ and ring_y_ hold the face's ring of that length already.
  bool cut(int face, int neuron, const Level& level, int ring_read = 0);
  void refine(int face, int l);
  void product(int l, std::uint64_t bits, double* out);
  bool incremental_product(int l, std::uint64_t ref, double* P, int* chain);
  void measure(int face);
  // False when the tessellation has failed or run out of its budgets (the clock is read every
  // 64 calls).
  bool check_budget() {
    const bool slow = failed() || static_cast<long long>(face_edge_.size()) >= options_.max_tiles ||
                      (clock_ && (++work_ & 63) == 0);
    return !(slow && budget_exceeded());
  }
  bool budget_exceeded();
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
  const bool reference_;          // the straightforward path (geometry_reference.h)
  // Fixed-size tables (check_inputs() bounds the layers and neurons): no allocation per call.
  std::array<double, kMaxHiddenLayers> neg_slope_{}; // per hidden layer: the slope where h <= 0
  std::array<int, kMaxHiddenLayers> offset_{};       // per layer: global index of its first neuron
  std::array<int, kMaxHiddenNeurons> layer_of_{}, unit_of_{}; // per global neuron index
  int map_rows_ = 0;
  int code_words_ = 1; // words of a code that hidden layers 0..depth-1 use
  Eigen::Vector2d centre_ = Eigen::Vector2d::Zero(); // internal coordinates are p - centre
  double radius_ = 1;

  // Everything that grows with the tiling lives in the workspace, reused between calls.
  TessellationWorkspace::Buffers& b_;
  std::vector<Vec2>& verts_ = b_.verts;
  std::vector<HalfEdge>& he_ = b_.he;
  std::vector<HalfEdgeInfo>& info_ = b_.he_info;
  std::vector<ExtraLabel>& extra_ = b_.extra;
  std::vector<int>& face_edge_ = b_.face_edge;
  std::vector<std::uint64_t>& face_code_ = b_.face_code; // code_words_ per face
  std::vector<FaceShape>& face_shape_ = b_.face_shape;
  std::vector<double>& face_map_ = b_.face_map;
  std::vector<double>& root_map_ = b_.root_map;
  std::vector<Level>& levels_ = b_.levels;
  std::vector<int>& ring_he_ = b_.ring_he;
  std::vector<double>& ring_val_ = b_.ring_val;
  std::vector<double>& ring_x_ = b_.ring_x;
  std::vector<double>& ring_y_ = b_.ring_y;
  std::vector<double>& cut_x_ = b_.cut_x;
  std::vector<double>& cut_y_ = b_.cut_y;
  std::vector<double>& shape_x_ = b_.shape_x;
  std::vector<double>& shape_y_ = b_.shape_y;
  std::array<int, kMaxHiddenLayers> tiles_per_layer_{};

  TessellationStatus status_ = TessellationStatus::ok;
  std::string message_;
  std::function<double()> clock_;
  double deadline_ = 0;
  long long work_ = 0;
};

int Tessellator::split_edge(int h, double t) {
  // h: A -> B becomes A -> P (h) and P -> B (h2); its twin B -> A becomes B -> P and P -> A.
  const int tw = info_[h].twin;
  const Vec2 a = verts_[he_[h].origin], b = verts_[he_[tw].origin];
  const int v = add_vertex(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
  const int h2 = static_cast<int>(he_.size());
  const int t2 = h2 + 1;
  const HalfEdgeInfo ih = info_[h], it = info_[tw];
  add_half_edge(v, tw, he_[h].next, ih.face, ih.label, ih.extra);
  add_half_edge(v, h, he_[tw].next, it.face, it.label, it.extra);
  he_[h].next = h2;
  info_[h].twin = t2;
  he_[tw].next = t2;
  info_[tw].twin = h2;
  return h2;
}

int Tessellator::add_face(int parent) {
  const int f = static_cast<int>(face_edge_.size());
  face_edge_.push_back(-1);
  const std::size_t w = static_cast<std::size_t>(code_words_);
  // Grown by doubling and never shrunk within a call: resize() per face zeroes and calls out.
  if (face_code_.size() < (f + 1) * w) face_code_.resize(2 * (f + 1) * w);
  std::copy_n(face_code_.data() + parent * w, w, face_code_.data() + f * w);
  face_shape_.push_back(FaceShape{0, Vec2{0, 0}, Vec2{0, 0}, Vec2{0, 0}});
  return f;
}

// Cuts face f along the diagonal between the origins P of hp and Q of hq (pred_*: the half-edges
// ending there). f keeps the chain P..Q, the new face gets Q..P.
void Tessellator::split_face(int f, int hp, int pred_p, int hq, int pred_q, int label) {
  const int g = add_face(f);
  const int d1 = static_cast<int>(he_.size()); // P -> Q, in g
  const int d2 = d1 + 1;                         // Q -> P, in f
  const int p = he_[hp].origin, q = he_[hq].origin;
  add_half_edge(p, d2, hq, g, label, -1);
  add_half_edge(q, d1, hp, f, label, -1);
  he_[pred_q].next = d2;
  he_[pred_p].next = d1;
  for (int h = hq; h != d1; h = he_[h].next) info_[h].face = g;
  face_edge_[f] = hp;
  face_edge_[g] = hq;
}

void Tessellator::add_coincident(int h, int neuron) {
  for (int e : {h, info_[h].twin}) {
    if (info_[e].label == neuron) continue;
    bool known = false;
    for (int i = info_[e].extra; i >= 0; i = extra_[i].next)
      known = known || extra_[i].neuron == neuron;
    if (known) continue;
    extra_.push_back(ExtraLabel{neuron, info_[e].extra});
    info_[e].extra = static_cast<int>(extra_.size()) - 1;
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Cutting a face by a line
// -----------------------------------------------------------------------------------------------

int Tessellator::read_ring(int face, std::vector<double>& xs, std::vector<double>& ys) {
  const int start = face_edge_[face];
  const int limit = static_cast<int>(he_.size());
  const HalfEdge* he = he_.data();
  const Vec2* verts = verts_.data();
  int capacity = static_cast<int>(std::min({ring_he_.size(), xs.size(), ys.size()}));
  int* rh = ring_he_.data();
  double* x = xs.data();
  double* y = ys.data();
  int m = 0, h = start;
  do {
    if (m == capacity) {
      if (m >= limit) {
        fail(TessellationStatus::numerical_failure, "corrupt face ring");
        return 0;
      }
      capacity = 2 * m + 16;
      ring_he_.resize(std::max<std::size_t>(ring_he_.size(), capacity));
      xs.resize(std::max<std::size_t>(xs.size(), capacity));
      ys.resize(std::max<std::size_t>(ys.size(), capacity));
      rh = ring_he_.data();
      x = xs.data();
      y = ys.data();
    }
    const HalfEdge& e = he[h];
    const Vec2 v = verts[e.origin];
    rh[m] = h;
    x[m] = v.x;
    y[m] = v.y;
    ++m;
    h = e.next;
  } while (h != start);
  return m;
}

// Splits `face` along the zero line of `neuron` (a row of level.M) when the line crosses its
// interior; records the neuron on a side it runs along. Returns true when the face was split.
bool Tessellator::cut(int face, int neuron, const Level& level, int ring_read) {
  const int k = unit_of_[neuron];
  const double au = level.M(k, 0), aw = level.M(k, 1), e = level.M(k, 2);
  const double tol = level.tol(k);
  const int m = ring_read > 0 ? ring_read : read_ring(face, cut_x_, cut_y_);
  if (m == 0) return false;
  if (static_cast<int>(ring_val_.size()) < m) ring_val_.resize(2 * m);
  const double* xs = ring_read > 0 ? ring_x_.data() : cut_x_.data();
  const double* ys = ring_read > 0 ? ring_y_.data() : cut_y_.data();
  double* val = ring_val_.data();
  int imax = 0, imin = 0, zeros = 0;
  double vmax = -std::numeric_limits<double>::infinity(), vmin = -vmax, sum = 0;
  for (int i = 0; i < m; ++i) {
    const double v = au * xs[i] + aw * ys[i] + e;
    val[i] = v;
    sum += v;
    imax = v > vmax ? i : imax;
    vmax = v > vmax ? v : vmax;
    imin = v < vmin ? i : imin;
    vmin = v < vmin ? v : vmin;
    zeros += std::abs(v) <= tol;
  }
  if (!std::isfinite(sum)) { // overflow
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return false;
  }
  if (!(vmax > tol) || !(vmin < -tol)) {
    // No cut. A side whose two ends lie on the line carries this neuron's zero set too.
    if (zeros >= 2) {
      for (int i = 0; i < m; ++i)
        if (std::abs(val[i]) <= tol && std::abs(val[i + 1 == m ? 0 : i + 1]) <= tol)
          add_coincident(ring_he_[i], neuron);
    }
    return false;
  }
  if (!check_budget()) return false;
  // P: where the boundary leaves the positive side, walking forward from the maximum; Q: where it
  // leaves the negative side, walking forward from the minimum. Each is an existing vertex on the
  // line (within tol) or a new vertex inside a crossing edge. Starting from strict vertices
  // guarantees P != Q and that both pieces keep a strict vertex, so neither has zero area.
  // Both walks end within m steps (the maximum is > tol, the minimum < -tol); the bound only
  // guards against values that are not numbers.
  auto next = [m](int r) { return r + 1 == m ? 0 : r + 1; };
  int i = imax, steps = 0;
  while (!(val[i] > tol && val[next(i)] <= tol) && ++steps <= m) i = next(i);
  int j = imin;
  while (!(val[j] < -tol && val[next(j)] >= -tol) && ++steps <= 2 * m) j = next(j);
  if (steps > 2 * m) {
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return false;
  }
  const int inext = next(i), jnext = next(j);
  int hp, pred_p = ring_he_[i], hq, pred_q = ring_he_[j];
  if (val[inext] >= -tol) {
    hp = ring_he_[inext];
  } else {
    const double t = val[i] / (val[i] - val[inext]);
    hp = split_edge(ring_he_[i], t);
  }
  if (val[jnext] <= tol) {
    hq = ring_he_[jnext];
  } else {
    const double t = val[j] / (val[j] - val[jnext]);
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
    px[0] = first.x;
    py[0] = first.y;
    int c = 1;
    const bool repeated = xs[from] == first.x && ys[from] == first.y; // P (or Q) is that vertex
    if (!(repeated && from == to)) {
      for (int r = repeated ? next(from) : from;; r = next(r)) {
        px[c] = xs[r];
        py[c++] = ys[r];
        if (r == to) break;
      }
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

bool Tessellator::budget_exceeded() {
  if (failed()) return true;
  if (static_cast<long long>(face_edge_.size()) >= options_.max_tiles) {
    fail(TessellationStatus::tile_budget_exceeded,
         "more than " + std::to_string(options_.max_tiles) + " tiles");
    return true;
  }
  if (clock_ && clock_() > deadline_) {
    fail(TessellationStatus::time_budget_exceeded,
         "more than " + std::to_string(options_.time_budget_ms) + " ms");
    return true;
  }
  return false;
}

// The shape of a face from its ring.
void Tessellator::measure(int face) {
  const int m = read_ring(face, shape_x_, shape_y_);
  if (m > 0) face_shape_[face] = shape_of(shape_x_.data(), shape_y_.data(), m);
}

// Two doubles in one SIMD register, through the vector extension of GCC and Clang: SSE2
// natively, wasm SIMD (f64x2) when Emscripten compiles with -msimd128, two scalars otherwise.
// Eigen 3.4 has no wasm SIMD code of its own, so the kernels below use this instead of Eigen's
// fixed-size arrays.
typedef double Double2 __attribute__((vector_size(16)));

inline Double2 load2(const double* p) {
  Double2 v;
  std::memcpy(&v, p, sizeof v); // an unaligned load
  return v;
}
inline void store2(double* p, Double2 v) { std::memcpy(p, &v, sizeof v); }
inline Double2 splat2(double x) { return Double2{x, x}; }

// Two 64-bit lanes of bits: comparisons of Double2 give all ones or all zeros per lane.
typedef long long Mask2 __attribute__((vector_size(16)));

inline Double2 abs2(Double2 x) {
  const Mask2 magnitude = {0x7fffffffffffffffLL, 0x7fffffffffffffffLL};
  return reinterpret_cast<Double2>(reinterpret_cast<Mask2>(x) & magnitude);
}

// out(:, j) = sum_i coef[C i + j] w[i] for j < C (C = 1 or 3): a product of the listed columns
// of W, (rows, count), with a (count, C) matrix stored row by row. out is column-major with
// leading dimension rows. Blocks of rows keep 2 B / 2 C accumulators in registers while the
// columns stream past.
template <int C>
void multiply_columns(int rows, const double* const* w, const double* coef, int count,
                      double* out) {
  // Blocks of 4 rows for three columns (6 registers of accumulators), 8 for one.
  constexpr int B = C == 1 ? 8 : 4;
  constexpr int P = B / 2; // registers per column of the block
  int r = 0;
  for (; r + B <= rows; r += B) {
    Double2 acc[C][P];
    for (int j = 0; j < C; ++j)
      for (int q = 0; q < P; ++q) acc[j][q] = splat2(0.0);
    for (int i = 0; i < count; ++i) {
      Double2 wr[P];
      for (int q = 0; q < P; ++q) wr[q] = load2(w[i] + r + 2 * q);
      for (int j = 0; j < C; ++j) {
        const Double2 cj = splat2(coef[C * i + j]);
        for (int q = 0; q < P; ++q) acc[j][q] += cj * wr[q];
      }
    }
    for (int j = 0; j < C; ++j)
      for (int q = 0; q < P; ++q) store2(out + j * rows + r + 2 * q, acc[j][q]);
  }
  for (; r < rows; ++r) {
    double acc[C] = {};
    for (int i = 0; i < count; ++i)
      for (int j = 0; j < C; ++j) acc[j] += coef[C * i + j] * w[i][r];
    for (int j = 0; j < C; ++j) out[j * rows + r] = acc[j];
  }
}

// Sets the bits of one layer (n <= 64 neurons from global index offset), given as one word.
void set_layer_bits(std::uint64_t* words, int offset, int n, std::uint64_t bits) {
  const int w = offset >> 6, shift = offset & 63;
  words[w] |= bits << shift;
  if (shift != 0 && shift + n > 64) words[w + 1] |= bits >> (64 - shift);
}

// t = base + w [a0, a1, a2]: a rank-one update of a (rows, 3) column-major map, in place when
// base == t, two rows per SIMD register.
inline void add_outer(double* t, const double* base, int rows, const double* w, double a0,
                      double a1, double a2) {
  const Double2 b0 = splat2(a0), b1 = splat2(a1), b2 = splat2(a2);
  int r = 0;
  for (; r + 2 <= rows; r += 2) {
    const Double2 wr = load2(w + r);
    store2(t + r, load2(base + r) + b0 * wr);
    store2(t + rows + r, load2(base + rows + r) + b1 * wr);
    store2(t + 2 * rows + r, load2(base + 2 * rows + r) + b2 * wr);
  }
  if (r < rows) {
    t[r] = base[r] + a0 * w[r];
    t[rows + r] = base[rows + r] + a1 * w[r];
    t[2 * rows + r] = base[2 * rows + r] + a2 * w[r];
  }
}

// Set bits of x (the builtin is a library call without a popcount instruction in the baseline
// instruction set).
inline int popcount(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

// kBit[k] = 1 << k, as a table so that loops building bit masks vectorise.
constexpr std::array<std::uint64_t, 64> bit_table() {
  std::array<std::uint64_t, 64> t{};
  for (int k = 0; k < 64; ++k) t[k] = std::uint64_t{1} << k;
  return t;
}
alignas(16) constexpr std::array<std::uint64_t, 64> kBit = bit_table();

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
  level.creator.clear();
  level.creator.push_back(-1);
  level.piece_bits.clear();
  if (!check_budget()) return;
  std::uint64_t candidates = 0; // units whose line may meet the face
  std::uint64_t positive = 0;   // units with h > 0 at the face's box centre (kept for far lines)
  if (kink && reference_) {
    // Every line on every piece, decided by cut() alone.
    candidates = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    const double eps = options_.tolerance, R = radius_;
    for (int k = 0; k < n; ++k)
      level.tol(k) =
          eps * ((std::abs(level.M(k, 0)) + std::abs(level.M(k, 1))) * R + std::abs(level.M(k, 2)));
    for (int k = 0; k < n && !failed(); ++k) {
      const int count = static_cast<int>(level.pieces.size());
      for (int i = 0; i < count && !failed(); ++i) {
        if (cut(level.pieces[i], offset + k, level)) {
          level.pieces.push_back(static_cast<int>(face_edge_.size()) - 1);
          level.creator.push_back(i);
        }
      }
    }
    if (failed()) return;
  } else if (kink) {
    // A line that misses the face's bounding box by more than the tolerance misses the face:
    // its sign is the same on every piece and on the whole box, and so the sign at the box's
    // centre b. The others are candidates; cut() decides exactly, on the vertices of each
    // piece.
    //
    // Over the box (half-sides r_u, r_w), h lies within |a_u| r_u + |a_w| r_w of h(b). The
    // tolerance is at most eps (|h(b)| + 2 (|a_u| + |a_w|) R) (|e| <= |h(b)| + (|a_u| +
    // |a_w|) R: b lies in the region), so |h(b)| minus both above 0 means far. The loop needs
    // no tolerance per line, is branch-free (the signs are coin flips to a branch predictor)
    // and takes two units per SIMD register: comparisons give lane masks, ANDed with the units'
    // bits. kSlack covers the rounding. A NaN is never far, so cut() sees it and fails.
    const FaceShape shape = face_shape_[face];
    const double eps = options_.tolerance, R = radius_;
    const double bu = 0.5 * (shape.lo.x + shape.hi.x), bw = 0.5 * (shape.lo.y + shape.hi.y);
    const double ru = 0.5 * (shape.hi.x - shape.lo.x) * (1 + kSlack),
                 rw = 0.5 * (shape.hi.y - shape.lo.y) * (1 + kSlack);
    const double* mu = level.M.col(0);
    const double* mw = level.M.col(1);
    const double* mo = level.M.col(2);
    const double bound = eps + 2 * kSlack, reach = 2 * R * bound;
    const double keep = 1 - bound, reach_u = ru + reach, reach_w = rw + reach;
    // Far: |v| > |a_u| r_u + |a_w| r_w + tolerance bound. Two units per SIMD register.
    Mask2 far2 = {0, 0}, positive2 = {0, 0};
    {
      const Double2 bu2 = splat2(bu), bw2 = splat2(bw), keep2 = splat2(keep);
      const Double2 reach_u2 = splat2(reach_u), reach_w2 = splat2(reach_w);
      int k = 0;
      for (; k + 2 <= n; k += 2) {
        const Double2 u = load2(mu + k), w = load2(mw + k);
        const Double2 v = u * bu2 + w * bw2 + load2(mo + k);
        Mask2 bit;
        std::memcpy(&bit, &kBit[k], sizeof bit);
        far2 |= bit & (abs2(u) * reach_u2 + abs2(w) * reach_w2 - keep2 * abs2(v) < 0);
        positive2 |= bit & (v > 0);
      }
      if (k < n) {
        const double u = mu[k], w = mw[k];
        const double v = u * bu + w * bw + mo[k];
        far2[0] |= std::abs(u) * reach_u + std::abs(w) * reach_w - keep * std::abs(v) < 0
                       ? kBit[k]
                       : 0;
        positive2[0] |= v > 0 ? kBit[k] : 0;
      }
    }
    const std::uint64_t far = static_cast<std::uint64_t>(far2[0] | far2[1]);
    positive = static_cast<std::uint64_t>(positive2[0] | positive2[1]);
    candidates = ~far & (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1);
    double* tols = level.tol.data();
    for_each_bit(candidates, [&](int k) {
      tols[k] = eps * ((std::abs(mu[k]) + std::abs(mw[k])) * R + std::abs(mo[k]));
    });
    if (candidates) {
      const int m = read_ring(face, ring_x_, ring_y_);
      if (m == 0) return;
      const double* rx = ring_x_.data();
      const double* ry = ring_y_.data();
      for (std::uint64_t left = candidates; left && !failed(); left &= left - 1) {
        const int k = __builtin_ctzll(left);
        const int count = static_cast<int>(level.pieces.size());
        if (count == 1) {
          // The face is uncut: cut() tests the line on the ring just read, which is still its
          // ring.
          if (cut(face, offset + k, level, m)) {
            level.pieces.push_back(static_cast<int>(face_edge_.size()) - 1);
            level.creator.push_back(0);
          }
          continue;
        }
        // Exact test on the face's own vertices first; only lines that cross it (or run along
        // a side) are tried on those pieces whose bounding boxes they meet.
        const double u = mu[k], w = mw[k], o = mo[k], tol = tols[k];
        bool above = false, below = false;
        int zeros = 0;
        for (int j = 0; j < m; ++j) {
          const double v = u * rx[j] + w * ry[j] + o;
          above |= v > tol;
          below |= v < -tol;
          zeros += std::abs(v) <= tol;
        }
        if (!((above && below) || zeros >= 2)) continue;
        const double reach = tol + kSlack * ((std::abs(u) + std::abs(w)) * R + std::abs(o));
        for (int i = 0; i < count; ++i) {
          const FaceShape& piece = face_shape_[level.pieces[i]];
          const double pu = piece.centroid.x, pw = piece.centroid.y;
          const double v = u * pu + w * pw + o;
          const double u0 = u * (piece.lo.x - pu), u1 = u * (piece.hi.x - pu);
          const double w0 = w * (piece.lo.y - pw), w1 = w * (piece.hi.y - pw);
          if (v + std::min(u0, u1) + std::min(w0, w1) > reach ||
              v + std::max(u0, u1) + std::max(w0, w1) < -reach)
            continue;
          if (cut(level.pieces[i], offset + k, level)) {
            level.pieces.push_back(static_cast<int>(face_edge_.size()) - 1);
            level.creator.push_back(i);
          }
          if (failed()) return;
        }
      }
    }
  }
  // Layer-l bits of every piece: for the lines that miss the face their sign on it (at the box
  // centre), for the candidates the sign at the piece's own centroid (as forward() decides them).
  const std::uint64_t common = positive & ~candidates;
  const double* mu = level.M.col(0);
  const double* mw = level.M.col(1);
  const double* mo = level.M.col(2);
  for (int piece : level.pieces) {
    const Vec2 c = face_shape_[piece].centroid;
    std::uint64_t bits = common;
    for_each_bit(candidates, [&](int k) {
      bits |= static_cast<std::uint64_t>(mu[k] * c.x + mw[k] * c.y + mo[k] > 0) << k;
    });
    set_layer_bits(&face_code_[static_cast<std::size_t>(piece) * code_words_], offset, n, bits);
    level.piece_bits.push_back(bits);
  }
  tiles_per_layer_[l] += static_cast<int>(level.pieces.size());

  // The next map on every piece. P, the map on pieces[0], is one product (or an update of the
  // product of the sibling this face was cut from, see incremental_product); every other
  // piece's map is the map of the piece it was cut from plus one rank-one term per slope in
  // which the two differ: one or two terms, where P plus the terms for every slope in which the
  // piece differs from pieces[0] would be as many as the lines between them.
  const Layer& next = net_.layers[l + 1];
  const int rows = next.width();
  const std::size_t size = static_cast<std::size_t>(rows) * 3;
  const double neg = neg_slope_[l];
  const std::uint64_t ref = level.piece_bits[0];
  const int count = static_cast<int>(level.pieces.size());
  // Each sized on its own: a workspace that served a wider next layer before has room for more
  // siblings' P than for their bits.
  if (level.sibling_P.size() < (level.sibling + 1) * size)
    level.sibling_P.resize(2 * (level.sibling + 1) * size);
  grow(level.sibling_ref, level.sibling + 1);
  grow(level.sibling_chain, level.sibling + 1);
  double* P = &level.sibling_P[level.sibling * size];
  int chain = 0;
  if (!incremental_product(l, ref, P, &chain)) product(l, ref, P);
  level.sibling_ref[level.sibling] = ref;
  level.sibling_chain[level.sibling] = chain;
  if (!std::isfinite(Eigen::Map<const Eigen::ArrayXd>(P, size).sum())) {
    // Overflow anywhere upstream shows up here as inf or NaN.
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return;
  }
  const bool last = l + 1 == depth_;
  if (last) {
    if (face_map_.size() < face_edge_.size() * size) face_map_.resize(2 * face_edge_.size() * size);
  } else if (level.maps.size() < count * size) {
    level.maps.resize(2 * count * size);
  }
  grow(level.chain, count);
  grow(level.map_of, count);
  // Maps are written in place and passed down by pointer: in wasm a block copy of this size is
  // a call into JavaScript.
  for (int i = 0; i < count; ++i) {
    const std::uint64_t bits = level.piece_bits[i];
    double* t =
        last ? &face_map_[static_cast<std::size_t>(level.pieces[i]) * size] : &level.maps[i * size];
    if (i == 0) {
      if (last) {
        for (std::size_t r = 0; r < size; ++r) t[r] = P[r];
      } else {
        t = P;
      }
      level.map_of[i] = t;
      level.chain[i] = 0;
      continue;
    }
    level.map_of[i] = t;
    if (reference_) {
      product(l, bits, t);
      level.chain[i] = 0;
      continue;
    }
    const int c = level.creator[i];
    const bool from_creator = level.chain[c] < kMaxChain;
    const double* base = from_creator ? level.map_of[c] : P;
    const std::uint64_t flips = bits ^ (from_creator ? level.piece_bits[c] : ref);
    level.chain[i] = from_creator ? level.chain[c] + 1 : 1;
    if (flips == 0) { // two pieces with one code: only when one is thinner than the tolerance
      for (std::size_t r = 0; r < size; ++r) t[r] = base[r];
    }
    for_each_bit(flips, [&](int k) {
      const double ds = (bits >> k) & 1 ? 1.0 - neg : neg - 1.0; // slope(piece) - slope(base)
      add_outer(t, base, rows, next.W.col(k).data(), ds * level.M(k, 0), ds * level.M(k, 1),
                ds * level.M(k, 2));
      base = t;
    });
  }
  if (last) return;
  Level& deeper = levels_[l + 1];
  for (int i = 0; i < count; ++i) {
    deeper.M = MapView{level.map_of[i], rows};
    deeper.sibling = i;
    refine(level.pieces[i], l + 1);
    if (failed()) return;
  }
}

// out = W(l+1) diag(s) M + b(l+1), (rows, 3) column-major: the next map for the layer-l slopes s
// given by `bits`, over the units with a nonzero slope only.
void Tessellator::product(int l, std::uint64_t bits, double* out) {
  Level& level = levels_[l];
  const Layer& next = net_.layers[l + 1];
  const int n = net_.layers[l].width();
  const int rows = next.width();
  const double neg = neg_slope_[l];
  const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  const std::uint64_t active = neg == 0 ? bits : all;
  const double* mu = level.M.col(0);
  const double* mw = level.M.col(1);
  const double* mo = level.M.col(2);
  if (rows < 4) {
    // A few outputs: dot products, without gathering the active columns first.
    for (int r = 0; r < rows; ++r) {
      const double* w = next.W.data() + r; // row r, stride rows
      double a = 0, b = 0, c = 0;
      if (neg == 0) { // ReLU: the active units have slope 1
        for_each_bit(active, [&](int k) {
          const double wk = w[k * rows];
          a += mu[k] * wk;
          b += mw[k] * wk;
          c += mo[k] * wk;
        });
      } else {
        for_each_bit(active, [&](int k) {
          const double wk = ((bits >> k) & 1 ? 1.0 : neg) * w[k * rows];
          a += mu[k] * wk;
          b += mw[k] * wk;
          c += mo[k] * wk;
        });
      }
      out[r] = a;
      out[rows + r] = b;
      out[2 * rows + r] = c + next.b(r);
    }
    return;
  }
  const int count = popcount(active);
  grow(level.cols, count);
  grow(level.coef, 3 * count);
  const double** cols = level.cols.data();
  double* coef = level.coef.data();
  for_each_bit(active, [&](int k) {
    const double s = (bits >> k) & 1 ? 1.0 : neg;
    *cols++ = next.W.col(k).data();
    coef[0] = s * mu[k];
    coef[1] = s * mw[k];
    coef[2] = s * mo[k];
    coef += 3;
  });
  multiply_columns<3>(rows, level.cols.data(), level.coef.data(), count, out);
  for (int r = 0; r < rows; ++r) out[2 * rows + r] += next.b(r);
}

// P for face X of depth l from the product of the sibling C it was cut from, when that is
// cheaper than the product itself. X and C are pieces of the face Z of depth l - 1, and their
// maps differ in the units j of layer l - 1 whose slopes t differ on them:
//     M_X = M_C + sum_j (t_X,j - t_C,j) W(l)[:, j] M_Z[j, :].
// With s_X and s_C the layer-l slopes on their pieces[0],
//     P_X = W(l+1) diag(s_X) M_X + b(l+1)
//         = P_C + sum_k (s_X,k - s_C,k) W(l+1)[:, k] M_C[k, :]             (slopes that differ)
//               + sum_j (t_X,j - t_C,j) (W(l+1) diag(s_X) W(l)[:, j]) M_Z[j, :]    (one per j):
// a matrix-vector product per j instead of the product's three columns, and C and X usually
// differ in one or two units. Chains of updates are cut at kMaxChain steps, so rounding does
// not pile up. Returns false (P not computed) when the product is cheaper.
bool Tessellator::incremental_product(int l, std::uint64_t ref, double* P, int* chain) {
  if (l == 0 || reference_) return false;
  Level& level = levels_[l];
  const Layer& next = net_.layers[l + 1];
  const int rows = next.width();
  if (rows < 8) return false; // a narrow product is cheap anyway
  const Level& parent = levels_[l - 1];
  const int i = level.sibling;
  const int c = parent.creator[i];
  if (c < 0 || level.sibling_chain[c] >= kMaxChain) return false;
  const int n = net_.layers[l].width();
  const double neg = neg_slope_[l], parent_neg = neg_slope_[l - 1];
  const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  const std::uint64_t active = neg == 0 ? ref : all;
  const std::uint64_t flips = ref ^ level.sibling_ref[c];
  const std::uint64_t terms = parent.piece_bits[i] ^ parent.piece_bits[c];
  const int n_active = popcount(active);
  if (terms == 0) return false; // not for two pieces of a face, which differ in a line between them
  // Cost in multiply-adds per row of P.
  if (3 * popcount(flips) + popcount(terms) * (n_active + 3) >= 3 * n_active) return false;
  const std::size_t size = static_cast<std::size_t>(rows) * 3;
  const double* PC = &level.sibling_P[c * size];
  const double* MC = parent.map_of[c]; // (n, 3)
  const double* base = PC; // the first term is added out of place, the others in place
  for_each_bit(flips, [&](int k) {
    const double ds = (ref >> k) & 1 ? 1.0 - neg : neg - 1.0;
    add_outer(P, base, rows, next.W.col(k).data(), ds * MC[k], ds * MC[n + k], ds * MC[2 * n + k]);
    base = P;
  });
  level.column.resize(rows);
  grow(level.cols, n_active);
  grow(level.coef, n_active);
  grow(level.active, n_active);
  {
    int a = 0;
    for_each_bit(active, [&](int k) {
      level.cols[a] = next.W.col(k).data();
      level.active[a++] = k;
    });
  }
  const Layer& layer = net_.layers[l];
  const std::uint64_t bits_x = parent.piece_bits[i];
  for_each_bit(terms, [&](int j) {
    // v = W(l+1) diag(s_X) W(l)[:, j]
    const double* wj = layer.W.col(j).data();
    for (int a = 0; a < n_active; ++a) {
      const int k = level.active[a];
      level.coef[a] = ((ref >> k) & 1 ? 1.0 : neg) * wj[k];
    }
    multiply_columns<1>(rows, level.cols.data(), level.coef.data(), n_active, level.column.data());
    const double d = (bits_x >> j) & 1 ? 1.0 - parent_neg : parent_neg - 1.0; // t_X,j - t_C,j
    add_outer(P, base, rows, level.column.data(), d * parent.M(j, 0), d * parent.M(j, 1),
              d * parent.M(j, 2));
    base = P;
  });
  *chain = level.sibling_chain[c] + 1;
  return true;
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
  info_.reserve(estimate * 8);
  face_edge_.reserve(estimate);
  face_code_.reserve(estimate);
  face_shape_.reserve(estimate);
  for (int i = 0; i < n; ++i) add_vertex(region_[i].x() - centre_.x(), region_[i].y() - centre_.y());
  for (int i = 0; i < n; ++i) // inner ring: side i goes from vertex i to i+1
    add_half_edge(i, n + i, (i + 1) % n, 0, -1 - i, -1);
  for (int i = 0; i < n; ++i) // outer ring: i+1 -> i, clockwise around the region
    add_half_edge((i + 1) % n, i, n + (i + n - 1) % n, kOuterFace, -1 - i, -1);
  face_edge_.push_back(0);
  face_code_.assign(code_words_, 0);
  face_shape_.push_back(FaceShape{0, Vec2{0, 0}, Vec2{0, 0}, Vec2{0, 0}});

  // The pre-activation of layer 0 in internal coordinates: x = origin + V (centre + y).
  const Layer& first = net_.layers[0];
  // Fixed-capacity Eigen objects and noalias() products: nothing here allocates. At D = 784 the
  // input vector is 6.3 KB of stack, once per call (this is not the recursive part), and Eigen
  // leaves it uninitialised: cheaper than a heap vector, and far below any thread's stack.
  using InputVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxInputDim, 1>;
  const InputVector centre_x =
      slice_.origin + slice_.v1 * centre_.x() + slice_.v2 * centre_.y();          // (D)
  Eigen::Matrix<double, Eigen::Dynamic, 3, 0, kMaxWidth, 3> M0(first.width(), 3); // (n_0, 3)
  M0.col(0).noalias() = first.W * slice_.v1;
  M0.col(1).noalias() = first.W * slice_.v2;
  M0.col(2).noalias() = first.W * centre_x;
  M0.col(2) += first.b;
  if (!M0.allFinite()) {
    fail(TessellationStatus::numerical_failure, "non-finite pre-activations");
    return status_;
  }
  measure(0);
  if (depth_ == 0) {
    face_map_.assign(M0.data(), M0.data() + M0.size());
    return status_;
  }
  root_map_.assign(M0.data(), M0.data() + M0.size());
  levels_[0].M = MapView{root_map_.data(), first.width()};
  refine(0, 0);
  return status_;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Assembly of the result
// -----------------------------------------------------------------------------------------------

void Tessellator::assemble(Tessellation& out) {
  const int F = static_cast<int>(face_edge_.size());
  const int rows = map_rows_;
  const int H = static_cast<int>(he_.size());
  const HalfEdge* he = he_.data();
  const HalfEdgeInfo* info = info_.data();
  out.vertices.resize(verts_.size());
  for (std::size_t v = 0; v < verts_.size(); ++v)
    out.vertices[v] = Eigen::Vector2d(verts_[v].x + centre_.x(), verts_[v].y + centre_.y());
  out.tiles.resize(F);
  out.edges.resize(H); // at most; trimmed below
  out.A.resize(rows, 2 * F);
  out.c.resize(rows, F);
  out.tiles_per_layer.assign(tiles_per_layer_.begin(), tiles_per_layer_.begin() + depth_);
  std::vector<int>& edge_of = b_.edge_of; // output edge of every half-edge, -1 until written
  edge_of.assign(H, -1);
  if (static_cast<int>(ring_he_.size()) < H) ring_he_.resize(H);
  int* ring = ring_he_.data();
  TileEdge* edges = out.edges.data();
  int count = 0; // output edges so far
  for (int f = 0; f < F; ++f) {
    Tile& tile = out.tiles[f];
    // One walk around the face, then its edges from a corner, so polygon() starts at a vertex
    // of the convex shape.
    int m = 0, h = face_edge_[f];
    do {
      ring[m++] = h;
      h = he[h].next;
    } while (h != face_edge_[f] && m < H);
    int start = 0;
    while (start < m &&
           info[ring[start == 0 ? m - 1 : start - 1]].label == info[ring[start]].label)
      ++start;
    if (start == m) start = 0;
    tile.first_edge = count;
    int corners = 0;
    int prev_label = info[ring[start == 0 ? m - 1 : start - 1]].label;
    for (int i = 0, r = start; i < m; ++i) {
      const int hi = ring[r];
      r = r + 1 == m ? 0 : r + 1;
      const HalfEdgeInfo& e = info[hi];
      TileEdge& out_edge = edges[count];
      out_edge.from = he[hi].origin;
      out_edge.to = he[ring[r]].origin;
      if (e.label >= 0) {
        out_edge.layer = layer_of_[e.label];
        out_edge.neuron = unit_of_[e.label];
      } else {
        out_edge.layer = -1;
        out_edge.neuron = -1 - e.label;
      }
      const int other = info[e.twin].face;
      out_edge.neighbour = other == kOuterFace ? -1 : other;
      // Twins are linked when the second of the two is written (without a branch: the write
      // goes to this edge itself while its twin is unwritten, and is replaced just below).
      const int twin = edge_of[e.twin];
      edges[twin >= 0 ? twin : count].twin = count;
      out_edge.twin = twin;
      out_edge.coincident = e.extra;
      corners += e.label != prev_label;
      prev_label = e.label;
      edge_of[hi] = count++;
    }
    tile.edge_count = count - tile.first_edge;
    tile.corner_count = corners >= 3 ? corners : tile.edge_count;
    tile.code = Code{};
    std::copy_n(&face_code_[static_cast<std::size_t>(f) * code_words_], code_words_,
                tile.code.words.begin());
    tile.area = face_shape_[f].area;
    tile.centroid = Eigen::Vector2d(face_shape_[f].centroid.x + centre_.x(),
                                    face_shape_[f].centroid.y + centre_.y());
    // The map in internal coordinates p - centre, shifted to plane coordinates.
    const double* map = &face_map_[static_cast<std::size_t>(f) * rows * 3]; // (rows, 3)
    for (int r = 0; r < rows; ++r) {
      out.A(r, 2 * f) = map[r];
      out.A(r, 2 * f + 1) = map[rows + r];
      out.c(r, f) = map[2 * rows + r] - (map[r] * centre_.x() + map[rows + r] * centre_.y());
    }
  }
  out.edges.resize(count);
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
// out = net.folded(), with the same arithmetic, reusing out's memory.
void fold_batch_norm(const Network& net, Network& out) {
  out = net;
  for (Layer& layer : out.layers) {
    if (!layer.batch_norm) continue;
    const BatchNorm& bn = layer.bn;
    for (int k = 0; k < layer.width(); ++k) {
      const double scale = bn.gamma(k) / std::sqrt(bn.running_var(k) + bn.eps);
      layer.W.row(k) *= scale;
      layer.b(k) = scale * (layer.b(k) - bn.running_mean(k)) + bn.beta(k);
    }
    layer.batch_norm = false;
  }
}

std::string check_inputs(const Network& net, const Slice& slice) {
  if (net.layers.empty()) return "the network has no layers";
  const int D = net.input_dim;
  if (slice.origin.size() != D || slice.v1.size() != D || slice.v2.size() != D)
    return "the slice has " + std::to_string(slice.origin.size()) +
           " coordinates, the network expects " + std::to_string(D);
  if (!slice.origin.allFinite() || !slice.v1.allFinite() || !slice.v2.allFinite())
    return "the slice is not finite";
  return validate(net);
}
} // namespace

namespace {
void tessellate_into(Tessellation& out, TessellationWorkspace& workspace, const Network& net,
                     const Slice& slice, const Polygon& region, const TessellationOptions& options,
                     bool reference) {
  // Reset every field, keeping the memory of the vectors. The tiles, edges, vertices and maps of
  // the previous call stay until assemble() overwrites them (so that tiles are not constructed
  // anew every frame), or until a failure clears them.
  out.status = TessellationStatus::ok;
  out.message.clear();
  out.depth = 0;
  out.hidden_layers = net.hidden_layers();
  out.outputs = net.outputs();
  out.widths.clear();
  out.code_neurons = 0;
  out.map_rows = 0;
  out.slice = slice;
  auto fail = [&out](TessellationStatus status, std::string message) {
    out.status = status;
    out.message = std::move(message);
    out.vertices.clear();
    out.edges.clear();
    out.tiles.clear();
    out.A.resize(0, 0);
    out.c.resize(0, 0);
    out.tiles_per_layer.clear();
    out.coincident.clear();
  };
  std::string problem = check_inputs(net, slice);
  TessellationWorkspace::Buffers& buffers = workspace.buffers();
  if (problem.empty()) problem = clean_region(region, buffers.region_scratch, out.region);
  if (problem.empty() && options.max_tiles < 1) problem = "the tile budget must be at least 1";
  if (!problem.empty()) {
    fail(TessellationStatus::invalid_input, problem);
    return;
  }
  const int L = out.hidden_layers;
  out.depth = options.layers < 0 || options.layers > L ? L : options.layers;
  for (int l = 0; l < out.depth; ++l) out.widths.push_back(net.layers[l].width());
  out.code_neurons = net.neuron_offset(out.depth);
  out.map_rows = net.layers[out.depth].width();

  // Batch norm folded into W and b (evaluation mode), into the workspace's copy, which keeps
  // its memory between calls; a network without batch norm is used as it is.
  const Network* folded = &net;
  if (std::any_of(net.layers.begin(), net.layers.end(),
                  [](const Layer& l) { return l.batch_norm; })) {
    fold_batch_norm(net, buffers.folded);
    folded = &buffers.folded;
  }
  for (const Layer& layer : folded->layers) {
    if (!layer.W.allFinite() || !layer.b.allFinite()) {
      fail(TessellationStatus::numerical_failure, "the network has non-finite weights");
      return;
    }
  }
  Tessellator t(*folded, out.slice, out.region, out.depth, options, buffers, reference);
  const TessellationStatus status = t.run();
  if (status != TessellationStatus::ok) {
    fail(status, t.message());
    return;
  }
  t.assemble(out);
}
} // namespace

void tessellate_into(Tessellation& out, TessellationWorkspace& workspace, const Network& net,
                     const Slice& slice, const Polygon& region,
                     const TessellationOptions& options) {
  tessellate_into(out, workspace, net, slice, region, options, false);
}

void tessellate_reference_into(Tessellation& out, const Network& net, const Slice& slice,
                               const Polygon& region, const TessellationOptions& options) {
  TessellationWorkspace workspace;
  tessellate_into(out, workspace, net, slice, region, options, true);
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
