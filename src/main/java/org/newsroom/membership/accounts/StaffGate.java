package org.newsroom.membership.accounts;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/** The one role gate in front of every {@link StaffOnly} endpoint. */
@Provider
@StaffOnly(
    area = "bound to every @StaffOnly endpoint",
    value = {})
@Priority(Priorities.AUTHORIZATION)
public class StaffGate implements ContainerRequestFilter {

  @Context ResourceInfo resource;
  @Inject StaffAccess access;

  @Override
  public void filter(ContainerRequestContext request) {
    StaffOnly rule = resource.getResourceMethod().getAnnotation(StaffOnly.class);
    if (rule == null) {
      rule = resource.getResourceClass().getAnnotation(StaffOnly.class);
    }
    access.admit(rule.area(), rule.value());
  }
}
