package dev.runbus.server.api;

import dev.runbus.server.store.Runs.ProjectInfo;
import java.util.List;

/** Entities and their projects. */
final class EntityEndpoints {
  private final ReadContext ctx;

  EntityEndpoints(ReadContext ctx) {
    this.ctx = ctx;
  }

  void entities(ApiRequest req) {
    ctx.answer(req, () -> Answers.renderStrings("entities", ctx.store.runs().entities(req.viewer)));
  }

  void projects(ApiRequest req) {
    String entity = req.path("entity");
    ctx.answer(req, () -> {
      List<ProjectInfo> projects = ctx.store.runs().projects(req.viewer, entity);
      return Answers.render(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("projects");
        for (ProjectInfo p : projects) {
          g.writeStartObject();
          g.writeStringField("entity", p.entity());
          g.writeStringField("name", p.name());
          g.writeNumberField("runCount", p.runCount());
          g.writeStringField("createdAt", RunJson.time(p.createdAtMillis()));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    });
  }
}
