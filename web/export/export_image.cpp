// export_image.cpp - PNG (offscreen rendering) and SVG export of the view. See export_image.h.
//
// Index
//   [SECTION] Geometry of the export
//   [SECTION] PNG: offscreen rendering
//   [SECTION] SVG
#include "export_image.h"

#include "app.h"
#include "colouring.h"
#include "curve_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace splinescope {

namespace {

// Colours the canvas uses for what the export draws itself (the canvas draws them with ImGui or
// 1-pixel GL lines): keep in step with renderer.cpp and panels.cpp.
constexpr Rgb kEdgeColour{0.16f, 0.17f, 0.22f};
constexpr Rgb kBoundaryColour{13 / 255.0f, 13 / 255.0f, 20 / 255.0f};
constexpr Rgb kNeuronColour{1.0f, 120 / 255.0f, 20 / 255.0f};
constexpr float kNeuronWidth = 3.0f;  // CSS pixels
constexpr float kNeuronCasing = 5.0f; // the dark line under it, as on the canvas

// Exports tessellate on their own, with more room than the per-frame budget.
TessellationOptions export_tessellation_options(int layers) {
  TessellationOptions options;
  options.layers = layers;
  options.max_tiles = 100000;
  options.time_budget_ms = 5000;
  return options;
}

// Whether the canvas draws the engine's exact polygons (as main.cpp decides) rather than pixels.
bool canvas_draws_exact_tiles() {
  return app.pane().render_exact && app.pane().style.code_layers < 0;
}

std::vector<float> segments_of(const std::vector<Polyline>& lines) {
  std::vector<float> out;
  for (const Polyline& line : lines) {
    const std::size_t n = line.points.size();
    const std::size_t count = line.closed ? n : (n > 0 ? n - 1 : 0);
    for (std::size_t i = 0; i < count; ++i) {
      const Eigen::Vector2d& a = line.points[i];
      const Eigen::Vector2d& b = line.points[(i + 1) % n];
      out.insert(out.end(), {static_cast<float>(a.x()), static_cast<float>(a.y()),
                             static_cast<float>(b.x()), static_cast<float>(b.y())});
    }
  }
  return out;
}

// Every edge between two tiles once (region sides left out, as on the canvas); of one hidden
// layer only when layer >= 0.
std::vector<float> edge_segments(const Tessellation& tess, int layer = -1) {
  std::vector<float> out;
  for (std::size_t e = 0; e < tess.edges.size(); ++e) {
    const TileEdge& edge = tess.edges[e];
    if (edge.layer < 0 || (edge.twin >= 0 && edge.twin < static_cast<int>(e))) continue;
    if (layer >= 0 && edge.layer != layer) continue;
    const Eigen::Vector2d& a = tess.vertices[edge.from];
    const Eigen::Vector2d& b = tess.vertices[edge.to];
    out.insert(out.end(), {static_cast<float>(a.x()), static_cast<float>(a.y()),
                           static_cast<float>(b.x()), static_cast<float>(b.y())});
  }
  return out;
}

std::vector<Polyline> highlighted_neuron(const Tessellation& tess) {
  const Network& net = shown_network();
  const int layer = app.pane().highlight_layer;
  if (!tess.ok() || layer < 1 || layer > std::min(net.hidden_layers(), tess.depth)) return {};
  if (app.pane().highlight_unit < 0 || app.pane().highlight_unit >= net.layers[layer - 1].width()) return {};
  return neuron_zero_set(tess, layer - 1, app.pane().highlight_unit);
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Geometry of the export
// -----------------------------------------------------------------------------------------------

Window export_window(const Window& view, int width, int height) {
  const double per_px = std::max(view.width() / std::max(1, width),
                                 view.height() / std::max(1, height)); // units per pixel
  const double cx = 0.5 * (view.x0 + view.x1), cy = 0.5 * (view.y0 + view.y1);
  const double half_w = 0.5 * width * per_px, half_h = 0.5 * height * per_px;
  return Window{cx - half_w, cx + half_w, cy - half_h, cy + half_h};
}

// -----------------------------------------------------------------------------------------------
// [SECTION] PNG: offscreen rendering
// -----------------------------------------------------------------------------------------------

namespace {

// A framebuffer with a colour and a depth renderbuffer (samples 0: single-sampled).
struct OffscreenTarget {
  GLuint framebuffer = 0, colour = 0, depth = 0;

  bool create(int width, int height, int samples, bool with_depth) {
    glGenFramebuffers(1, &framebuffer);
    glGenRenderbuffers(1, &colour);
    glBindRenderbuffer(GL_RENDERBUFFER, colour);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour);
    if (with_depth) {
      glGenRenderbuffers(1, &depth);
      glBindRenderbuffer(GL_RENDERBUFFER, depth);
      glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_DEPTH_COMPONENT16, width,
                                       height);
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth);
    }
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    return glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  }
  ~OffscreenTarget() {
    if (framebuffer) glDeleteFramebuffers(1, &framebuffer);
    if (colour) glDeleteRenderbuffers(1, &colour);
    if (depth) glDeleteRenderbuffers(1, &depth);
  }
};

} // namespace

namespace {
// A network of one input (curve_view.h): the pieces' bands, the axes, the knots, the points and the
// curve over its casing, as the canvas draws them (without the axes' figures).
void draw_curve_image(Renderer& r, GLuint framebuffer, const Window& window, int width, int height,
                      float scale) {
  const Pane& pane = app.pane();
  const Tessellation1d curve = tessellate_interval(shown_network(), window.x0, window.x1);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
  glEnable(GL_SCISSOR_TEST);
  for (const CurveBand& band : curve_bands(pane, curve, window, width)) {
    glScissor(band.x0, 0, band.x1 - band.x0, height);
    glClearColor(band.rgb.r, band.rgb.g, band.rgb.b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  glDisable(GL_SCISSOR_TEST);
  r.set_output(framebuffer);
  r.set_output_origin(0, 0);
  const Rgb axis = app.light() ? Rgb{0.16f, 0.16f, 0.2f} : Rgb{0.9f, 0.9f, 0.94f};
  r.draw_lines(window, width, height, {static_cast<float>(window.x0), 0, static_cast<float>(window.x1), 0,
                                       0, static_cast<float>(window.y0), 0, static_cast<float>(window.y1)},
               axis, 0.67f, 1.5f * scale);
  if (!curve.ok()) return;
  for (const Knot& k : curve.knots)
    r.draw_lines(window, width, height, {static_cast<float>(k.t), static_cast<float>(window.y0),
                                         static_cast<float>(k.t), static_cast<float>(window.y1)},
                 layer_colour(k.layer), 0.35f, std::max(1.0f, scale));
  if (pane.show_points) r.draw_points(window, width, height, scale, point_radius_px(r.point_count()));
  const int output = std::clamp(pane.style.output_index, 0, curve.outputs - 1);
  std::vector<float> all;
  for (const Piece1d& p : curve.pieces)
    all.insert(all.end(), {static_cast<float>(p.t0), static_cast<float>(p.slope(output) * p.t0 + p.intercept(output)),
                           static_cast<float>(p.t1), static_cast<float>(p.slope(output) * p.t1 + p.intercept(output))});
  // At least the canvas's widths: a smaller image keeps a readable curve.
  const float line_scale = std::max(1.0f, scale);
  r.draw_lines(window, width, height, all, kBoundaryColour, 1.0f, 5.0f * line_scale);
  for (std::size_t i = 0; i < curve.pieces.size(); ++i)
    r.draw_lines(window, width, height, std::vector<float>(all.begin() + 4 * i, all.begin() + 4 * i + 4),
                 tile_colour(code_hash(curve.pieces[i].code, curve.code_neurons)), 1.0f, 3.0f * line_scale);
}
} // namespace

std::string render_view_image(int width, int height, std::vector<unsigned char>* rgba) {
  if (width < 1 || height < 1 || width > kMaxExportSide || height > kMaxExportSide)
    return "the image size must be 1 to " + std::to_string(kMaxExportSide) +
           " pixels per side, not " + std::to_string(width) + " x " + std::to_string(height);
  GLint max_renderbuffer = 0, max_texture = 0, max_viewport[2] = {0, 0}, max_samples = 0;
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_renderbuffer);
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_texture); // the per-pixel path renders into a texture
  glGetIntegerv(GL_MAX_VIEWPORT_DIMS, max_viewport);
  glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
  const int limit = std::min({max_renderbuffer, max_texture, max_viewport[0], max_viewport[1]});
  if (width > limit || height > limit)
    return "this browser's WebGL draws images of at most " + std::to_string(limit) +
           " pixels per side";

  // The plane keeps its square units (the view widened to the image's shape); a curve's plot is
  // the view stretched to the image.
  const bool curve = shows_curve(app.pane());
  const Window window = curve ? app.pane().view : export_window(app.pane().view, width, height);
  // Export pixels per CSS pixel of the canvas: line widths and point sizes scale with it.
  const float scale = static_cast<float>((width / window.width()) /
                                         (std::max(1, app.pane().canvas.css_width) / app.pane().view.width()));
  // Multisampling smooths polygon edges and lines; beyond 4 Mpixels it costs too much memory.
  const int samples = static_cast<long>(width) * height <= 2048L * 2048L
                          ? std::min(4, std::max(0, max_samples))
                          : 0;

  OffscreenTarget draw_target, resolve_target;
  if (!draw_target.create(width, height, samples, true) ||
      (samples > 0 && !resolve_target.create(width, height, 0, false))) {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return "WebGL could not make a " + std::to_string(width) + " x " + std::to_string(height) +
           " image (out of graphics memory?)";
  }
  glViewport(0, 0, width, height);
  const float* background = background_rgb(app.pane().style);
  glClearColor(background[0], background[1], background[2], 1.0f);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);

  Renderer& r = app.pane().renderer;
  if (curve) {
    draw_curve_image(r, draw_target.framebuffer, window, width, height, scale);
  } else {
    if (app.pane().weights_dirty) {
      r.set_network(shown_network());
      app.pane().weights_dirty = false;
    }
    r.set_output(draw_target.framebuffer);
    r.set_output_origin(0, 0); // the next frame places it again
    Tessellation tess = tessellate(shown_network(), standard_slice(2), window_polygon(window),
                                   export_tessellation_options(-1));
    if (canvas_draws_exact_tiles() && tess.ok()) {
      TileStyle fills_only = app.pane().style; // edges are drawn below as quads, scaled to the image
      fills_only.edge_width = 0;
      r.set_tiles(tess, fills_only);
      app.pane().tess_uploaded = false; // the canvas's polygons are uploaded again next frame
      r.draw_exact(window, width, height, app.pane().style);
      const float edge_px = std::max(1.0f, app.pane().style.edge_width * scale);
      if (app.pane().style.edge_width > 0 && app.pane().style.edge_colour == EdgeColour::layer) {
        for (int l = 0; l < tess.depth; ++l)
          r.draw_lines(window, width, height, edge_segments(tess, l), layer_colour(l),
                       kLayerEdgeAlpha, edge_px);
      } else if (app.pane().style.edge_width > 0) {
        r.draw_lines(window, width, height, edge_segments(tess), kEdgeColour, kMonoEdgeAlpha,
                     edge_px);
      }
      if (app.pane().style.boundary_width > 0)
        r.draw_lines(window, width, height, segments_of(decision_boundary(tess).polylines),
                     kBoundaryColour, 1.0f, app.pane().style.boundary_width * scale);
    } else {
      // The shader draws edges and the boundary itself, at widths scaled like the canvas's.
      r.draw(window, width, height, scale, app.pane().style, 1.0f);
    }
    {
      const std::vector<float> neuron = segments_of(highlighted_neuron(tess));
      r.draw_lines(window, width, height, neuron, kBoundaryColour, 1.0f, kNeuronCasing * scale);
      r.draw_lines(window, width, height, neuron, kNeuronColour, 1.0f, kNeuronWidth * scale);
    }
    if (app.pane().show_points)
      r.draw_points(window, width, height, scale, point_radius_px(r.point_count()));
  }
  r.set_output(0);

  if (samples > 0) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, draw_target.framebuffer);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolve_target.framebuffer);
    glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, resolve_target.framebuffer);
  } else {
    glBindFramebuffer(GL_FRAMEBUFFER, draw_target.framebuffer);
  }
  const std::size_t row = static_cast<std::size_t>(width) * 4;
  std::vector<unsigned char> bottom_up(row * height);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  rgba->resize(row * height);
  for (int j = 0; j < height; ++j) { // GL rows start at the bottom, images at the top
    unsigned char* dst = rgba->data() + row * j;
    std::copy_n(bottom_up.data() + row * (height - 1 - j), row, dst);
    for (std::size_t i = 3; i < row; i += 4) dst[i] = 255; // blending leaves alpha below 1
  }
  return "";
}

// -----------------------------------------------------------------------------------------------
// [SECTION] SVG
// -----------------------------------------------------------------------------------------------

namespace {

void append_number(std::string& s, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  s += buf;
}

std::string hex(const Rgb& c) {
  char out[8];
  to_hex(c, out);
  return out;
}

// The data points as the canvas draws them: train points filled with an outline, test points as
// rings, points placed by hand as filled diamonds. radius: in plane units.
std::string points_group(double radius, double outline) {
  const Split& data = app.pane().session->data();
  const bool regression = data.train.is_regression();
  std::string s = "<g id=\"points\" stroke-width=\"";
  append_number(s, outline);
  s += "\">\n";
  if (app.pane().plane.on()) return s + "</g>\n"; // image data: the images lie off the plane
  // Placed points are the last ones of the training set (Session::rebuild_data).
  const Eigen::Index first_placed = data.train.size() - app.pane().session->user_points().size();
  auto add = [&](const Dataset& d, bool test) {
    for (Eigen::Index j = 0; j < d.size(); ++j) {
      Rgb fill;
      if (regression) {
        const float t = static_cast<float>(std::clamp(0.5 + 0.5 * d.targets(j), 0.0, 1.0));
        const Rgb& a = kClassColours[0];
        const Rgb& b = kClassColours[1];
        fill = Rgb{a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b)};
      } else {
        fill = class_rgb(d.labels(j));
      }
      if (!test && j >= first_placed) {
        const double r = 1.33 * radius - 0.5 * outline; // as points.frag: vertices at 1.33 r
        s += "<path d=\"M";
        const double x = d.X(0, j), y = d.X(1, j);
        const double corners[4][2] = {{x + r, y}, {x, y + r}, {x - r, y}, {x, y - r}};
        for (int c = 0; c < 4; ++c) {
          if (c) s += " ";
          append_number(s, corners[c][0]);
          s += ",";
          append_number(s, corners[c][1]);
        }
        s += "Z\" fill=\"" + hex(fill) + "\" stroke=\"#141414\"/>\n";
        continue;
      }
      s += "<circle cx=\"";
      append_number(s, d.X(0, j));
      s += "\" cy=\"";
      append_number(s, d.X(1, j));
      s += "\" r=\"";
      append_number(s, radius - 0.5 * outline);
      s += test ? "\" fill=\"#ffffff\" stroke=\"" + hex(fill) + "\"/>\n"
                : "\" fill=\"" + hex(fill) + "\" stroke=\"#141414\"/>\n";
    }
  };
  add(data.train, false);
  if (app.pane().show_test) add(data.test, true);
  return s + "</g>\n";
}

} // namespace

std::string view_svg(std::string* error) {
  const Window& view = app.pane().view;
  const Network& net = shown_network();
  if (shows_curve(app.pane())) { // the exact spline of the view's x range
    const Tessellation1d curve = tessellate_interval(net, view.x0, view.x1);
    if (!curve.ok()) {
      *error = "the view's interval could not be cut into pieces: " + curve.message;
      return "";
    }
    Spline1dSvgOptions options;
    options.width_px = std::max(200, app.pane().canvas.css_width);
    options.height_px = std::max(100, app.pane().canvas.css_height);
    return spline_to_svg(curve, std::clamp(app.pane().style.output_index, 0, curve.outputs - 1), options);
  }
  const int code_layers = app.pane().style.code_layers < 0 || app.pane().style.code_layers >= net.hidden_layers()
                              ? -1
                              : app.pane().style.code_layers;
  const Tessellation tiles = tessellate(net, standard_slice(2), window_polygon(view),
                                        export_tessellation_options(code_layers));
  if (!tiles.ok()) {
    *error = "the view has too many tiles for an SVG (" + tiles.message +
             "); zoom in or use a smaller network";
    return "";
  }
  // The decision boundary needs the tiles of every layer.
  Contour boundary;
  if (app.pane().style.boundary_width > 0) {
    if (tiles.full_depth()) {
      boundary = decision_boundary(tiles);
    } else {
      const Tessellation full =
          tessellate(net, standard_slice(2), window_polygon(view), export_tessellation_options(-1));
      if (full.ok()) boundary = decision_boundary(full);
    }
  }
  SvgOptions options;
  options.width_px = std::max(1, app.pane().canvas.css_width);
  options.draw_edges = app.pane().style.edge_width > 0;
  options.colour_edges_by_layer = app.pane().style.edge_colour == EdgeColour::layer;
  options.edge_width_px = 0.8 * app.pane().style.edge_width;
  options.boundary_width_px = app.pane().style.boundary_width;
  options.boundary_colour = hex(kBoundaryColour);
  if (app.pane().highlight_layer > tiles.depth) { // colouring by fewer layers than the neuron's
    const Tessellation full =
        tessellate(net, standard_slice(2), window_polygon(view), export_tessellation_options(-1));
    options.neuron = highlighted_neuron(full);
  } else {
    options.neuron = highlighted_neuron(tiles);
  }
  options.wash = app.pane().style.wash; // exports follow the theme
  options.neuron_width_px = kNeuronWidth;
  options.neuron_casing_px = kNeuronCasing;
  options.neuron_colour = hex(kNeuronColour);
  options.neuron_casing_colour = hex(kBoundaryColour);
  std::string svg =
      tiles_to_svg(tiles, app.pane().style.boundary_width > 0 ? &boundary : nullptr, options);
  if (app.pane().show_points) {
    // Inside the group that mirrors y, so the points use plane coordinates like the tiles.
    const std::string closing = "</g>\n</svg>\n";
    const std::size_t at = svg.rfind(closing);
    if (at != std::string::npos) {
      const double px = view.width() / options.width_px; // plane units per pixel
      svg.insert(at, points_group(point_radius_px(app.pane().renderer.point_count()) * px,
                                  std::min(1.5, 0.4 * point_radius_px(app.pane().renderer.point_count())) * px));
    }
  }
  error->clear();
  return svg;
}

} // namespace splinescope
