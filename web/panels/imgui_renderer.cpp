// imgui_renderer.cpp - Dear ImGui's draw lists drawn with WebGL2, no GL state read back.
// See imgui_renderer.h for why. The vertex layout and the shaders (shaders/interface.*) follow
// ImGui's OpenGL3 backend.
#include "imgui_renderer.h"

#include "renderer.h"
#include "shaders_embedded.h"

#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace splinescope {
namespace {

struct ImGuiGl {
  GLuint program = 0, font_texture = 0, vao = 0, vertex_buffer = 0, index_buffer = 0;
  GLint projection = -1;
  GLsizeiptr vertex_capacity = 0, index_capacity = 0; // bytes
};
ImGuiGl gl;

} // namespace

void imgui_renderer_upload_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  if (!gl.font_texture) glGenTextures(1, &gl.font_texture);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, gl.font_texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  glBindTexture(GL_TEXTURE_2D, 0);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(gl.font_texture)));
  io.Fonts->ClearTexData(); // the GPU holds the atlas; its glyph tables stay for layout
  glUseProgram(gl.program);
  glUniform2f(glGetUniformLocation(gl.program, "u_white_uv"), io.Fonts->TexUvWhitePixel.x,
              io.Fonts->TexUvWhitePixel.y);
  glUseProgram(0);
}

void* imgui_renderer_image(unsigned* texture, int width, int height, const unsigned char* rgba) {
  if (!*texture) {
    glGenTextures(1, texture);
    glBindTexture(GL_TEXTURE_2D, *texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, *texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  glBindTexture(GL_TEXTURE_2D, 0);
  return reinterpret_cast<void*>(static_cast<std::intptr_t>(*texture));
}

bool imgui_renderer_init(const char** error) {
  static std::string message;
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "splinescope_webgl2";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset; // 16-bit indices, base vertex below

  std::string log;
  gl.program = link_program(shaders::interface_vert, shaders::interface_frag, &log);
  if (!gl.program) {
    message = "the interface's shader: " + log;
    *error = message.c_str();
    return false;
  }
  gl.projection = glGetUniformLocation(gl.program, "u_projection");
  glUseProgram(gl.program);
  glUniform1i(glGetUniformLocation(gl.program, "u_texture"), 0);
  glUseProgram(0);

  glGenVertexArrays(1, &gl.vao);
  glGenBuffers(1, &gl.vertex_buffer);
  glGenBuffers(1, &gl.index_buffer);
  glBindVertexArray(gl.vao);
  glBindBuffer(GL_ARRAY_BUFFER, gl.vertex_buffer);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gl.index_buffer); // part of the vertex array's state
  const GLsizei stride = sizeof(ImDrawVert);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, pos)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, uv)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, col)));
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  return true;
}

void imgui_renderer_shutdown() {
  glDeleteProgram(gl.program);
  glDeleteTextures(1, &gl.font_texture);
  glDeleteVertexArrays(1, &gl.vao);
  glDeleteBuffers(1, &gl.vertex_buffer);
  glDeleteBuffers(1, &gl.index_buffer);
  gl = ImGuiGl{};
}

void imgui_renderer_render(const ImDrawData* draw_data) {
  const int fb_width = static_cast<int>(draw_data->DisplaySize.x * draw_data->FramebufferScale.x);
  const int fb_height = static_cast<int>(draw_data->DisplaySize.y * draw_data->FramebufferScale.y);
  if (fb_width <= 0 || fb_height <= 0 || draw_data->CmdListsCount == 0) return;

  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, fb_width, fb_height);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);

  const float l = draw_data->DisplayPos.x, r = l + draw_data->DisplaySize.x;
  const float t = draw_data->DisplayPos.y, b = t + draw_data->DisplaySize.y;
  const float projection[16] = {2.0f / (r - l),    0, 0, 0, 0, 2.0f / (t - b),   0, 0,
                                0, 0, -1.0f, 0, (r + l) / (l - r), (t + b) / (b - t), 0, 1};
  glUseProgram(gl.program);
  glUniformMatrix4fv(gl.projection, 1, GL_FALSE, projection);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(gl.vao);
  glBindBuffer(GL_ARRAY_BUFFER, gl.vertex_buffer);

  // Every list's vertices and indices in one upload each, so a frame makes two buffer calls.
  GLsizeiptr vertex_bytes = 0, index_bytes = 0;
  for (int n = 0; n < draw_data->CmdListsCount; ++n) {
    vertex_bytes += draw_data->CmdLists[n]->VtxBuffer.size_in_bytes();
    index_bytes += draw_data->CmdLists[n]->IdxBuffer.size_in_bytes();
  }
  if (vertex_bytes > gl.vertex_capacity) {
    gl.vertex_capacity = vertex_bytes + vertex_bytes / 2;
    glBufferData(GL_ARRAY_BUFFER, gl.vertex_capacity, nullptr, GL_STREAM_DRAW);
  }
  if (index_bytes > gl.index_capacity) {
    gl.index_capacity = index_bytes + index_bytes / 2;
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, gl.index_capacity, nullptr, GL_STREAM_DRAW);
  }
  GLsizeiptr vertex_at = 0, index_at = 0;
  for (int n = 0; n < draw_data->CmdListsCount; ++n) {
    const ImDrawList* list = draw_data->CmdLists[n];
    glBufferSubData(GL_ARRAY_BUFFER, vertex_at, list->VtxBuffer.size_in_bytes(),
                    list->VtxBuffer.Data);
    glBufferSubData(GL_ELEMENT_ARRAY_BUFFER, index_at, list->IdxBuffer.size_in_bytes(),
                    list->IdxBuffer.Data);
    vertex_at += list->VtxBuffer.size_in_bytes();
    index_at += list->IdxBuffer.size_in_bytes();
  }

  const ImVec2 clip_off = draw_data->DisplayPos, clip_scale = draw_data->FramebufferScale;
  GLuint bound_texture = 0;
  int list_vertex_base = 0, list_index_base = 0; // of the current list in the shared buffers
  for (int n = 0; n < draw_data->CmdListsCount; ++n) {
    const ImDrawList* list = draw_data->CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const float x0 = (cmd.ClipRect.x - clip_off.x) * clip_scale.x;
      const float y0 = (cmd.ClipRect.y - clip_off.y) * clip_scale.y;
      const float x1 = (cmd.ClipRect.z - clip_off.x) * clip_scale.x;
      const float y1 = (cmd.ClipRect.w - clip_off.y) * clip_scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      glScissor(static_cast<int>(x0), static_cast<int>(fb_height - y1), static_cast<int>(x1 - x0),
                static_cast<int>(y1 - y0));
      const GLuint texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(cmd.GetTexID()));
      if (texture != bound_texture) glBindTexture(GL_TEXTURE_2D, bound_texture = texture);
      // WebGL2 has no base-vertex draw: 16-bit indices are relative to the list, so each list's
      // vertices get their own attribute offset.
      const std::size_t first_vertex = list_vertex_base + cmd.VtxOffset;
      const GLsizei stride = sizeof(ImDrawVert);
      glVertexAttribPointer(
          0, 2, GL_FLOAT, GL_FALSE, stride,
          reinterpret_cast<const void*>(first_vertex * stride + offsetof(ImDrawVert, pos)));
      glVertexAttribPointer(
          1, 2, GL_FLOAT, GL_FALSE, stride,
          reinterpret_cast<const void*>(first_vertex * stride + offsetof(ImDrawVert, uv)));
      glVertexAttribPointer(
          2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
          reinterpret_cast<const void*>(first_vertex * stride + offsetof(ImDrawVert, col)));
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<const void*>(
                         static_cast<std::uintptr_t>(list_index_base + cmd.IdxOffset) *
                         sizeof(ImDrawIdx)));
    }
    list_vertex_base += list->VtxBuffer.Size;
    list_index_base += list->IdxBuffer.Size;
  }

  // The resting state (imgui_renderer.h).
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glUseProgram(0);
}

} // namespace splinescope
