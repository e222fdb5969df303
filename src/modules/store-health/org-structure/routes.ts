import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import {
  closureInput,
  createClosure,
  createDistrict,
  createRegion,
  deleteClosure,
  deleteDistrict,
  deleteRegion,
  districtInput,
  districtPatch,
  getDistrict,
  getRegion,
  listClosures,
  listClosuresQuery,
  listDistricts,
  listDistrictsQuery,
  listRegions,
  listRegionsQuery,
  regionInput,
  regionPatch,
  updateDistrict,
  updateRegion,
} from './service.js';
import { createStore, deleteStore, getStore, listStores, listStoresQuery, storeInput, storePatch, updateStore } from './stores-service.js';

const tags = ['store-health'];
const nullableText = z.string().nullable();
const interval = z.object({ open: z.string(), close: z.string() });

export const regionSchema = z.object({
  id: z.string(),
  name: z.string(),
  managerName: nullableText,
  managerEmail: nullableText,
  managerPhone: nullableText,
  districtCount: z.number(),
  storeCount: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const districtSchema = z.object({
  id: z.string(),
  name: z.string(),
  regionId: z.string(),
  regionName: z.string(),
  managerName: nullableText,
  managerEmail: nullableText,
  managerPhone: nullableText,
  storeCount: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const storeSchema = z.object({
  id: z.string(),
  storeCode: z.string(),
  name: z.string(),
  address: nullableText,
  city: nullableText,
  state: nullableText,
  zipCode: nullableText,
  timezone: z.string(),
  phone: nullableText,
  managerName: nullableText,
  managerPhone: nullableText,
  managerEmail: nullableText,
  regionId: nullableText,
  regionName: nullableText,
  districtId: nullableText,
  districtName: nullableText,
  status: z.string(),
  openingHours: z.record(z.string(), z.array(interval)),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const closureSchema = z.object({
  id: z.string(),
  storeId: nullableText,
  storeCode: nullableText,
  closureDate: z.string(),
  kind: z.string(),
  reason: nullableText,
  createdAt: z.date(),
});

/** Regions, districts, stores and closures: GET for viewers, changes for managers. */
export async function registerOrgStructureRoutes(app: TypedApp, _deps: AppDeps): Promise<void> {
  // ---- regions ----
  app.get(
    '/api/store-health/regions',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Regions with their district and store counts',
        querystring: listRegionsQuery,
        response: { 200: pageSchema(regionSchema), ...errorResponses },
      },
    },
    async (request) => listRegions(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/regions/:id',
    { config: { access: 'viewer' }, schema: { tags, params: idParams, response: { 200: regionSchema, ...errorResponses } } },
    async (request) => getRegion(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/store-health/regions',
    { config: { access: 'manager' }, schema: { tags, summary: 'Add a region', body: regionInput, response: { 201: regionSchema, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createRegion(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/store-health/regions/:id',
    { config: { access: 'manager' }, schema: { tags, params: idParams, body: regionPatch, response: { 200: regionSchema, ...errorResponses } } },
    async (request) => updateRegion(request.serviceContext(), request.params.id, request.body),
  );
  app.delete(
    '/api/store-health/regions/:id',
    { config: { access: 'manager' }, schema: { tags, summary: 'Delete an empty region (409 while it has districts or stores)', params: idParams } },
    async (request, reply) => {
      await deleteRegion(request.serviceContext(), request.params.id);
      return reply.status(204).send();
    },
  );

  // ---- districts ----
  app.get(
    '/api/store-health/districts',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Districts (filter by regionId)',
        querystring: listDistrictsQuery,
        response: { 200: pageSchema(districtSchema), ...errorResponses },
      },
    },
    async (request) => listDistricts(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/districts/:id',
    { config: { access: 'viewer' }, schema: { tags, params: idParams, response: { 200: districtSchema, ...errorResponses } } },
    async (request) => getDistrict(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/store-health/districts',
    {
      config: { access: 'manager' },
      schema: { tags, summary: 'Add a district to a region', body: districtInput, response: { 201: districtSchema, ...errorResponses } },
    },
    async (request, reply) => reply.status(201).send(await createDistrict(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/store-health/districts/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Rename, re-staff or move a district (its stores move with it)',
        params: idParams,
        body: districtPatch,
        response: { 200: districtSchema, ...errorResponses },
      },
    },
    async (request) => updateDistrict(request.serviceContext(), request.params.id, request.body),
  );
  app.delete(
    '/api/store-health/districts/:id',
    { config: { access: 'manager' }, schema: { tags, summary: 'Delete a district without stores (409 otherwise)', params: idParams } },
    async (request, reply) => {
      await deleteDistrict(request.serviceContext(), request.params.id);
      return reply.status(204).send();
    },
  );

  // ---- stores ----
  app.get(
    '/api/store-health/stores',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Stores (filters regionId, districtId, status; q searches code, name, city, manager)',
        querystring: listStoresQuery,
        response: { 200: pageSchema(storeSchema), ...errorResponses },
      },
    },
    async (request) => listStores(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/stores/:id',
    { config: { access: 'viewer' }, schema: { tags, params: idParams, response: { 200: storeSchema, ...errorResponses } } },
    async (request) => getStore(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/store-health/stores',
    {
      config: { access: 'manager' },
      schema: { tags, summary: 'Add a store (store code unique in the organization)', body: storeInput, response: { 201: storeSchema, ...errorResponses } },
    },
    async (request, reply) => reply.status(201).send(await createStore(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/store-health/stores/:id',
    { config: { access: 'manager' }, schema: { tags, params: idParams, body: storePatch, response: { 200: storeSchema, ...errorResponses } } },
    async (request) => updateStore(request.serviceContext(), request.params.id, request.body),
  );
  app.delete(
    '/api/store-health/stores/:id',
    {
      config: { access: 'manager' },
      schema: { tags, summary: 'Delete a store without KPI history (409 otherwise: set its status to closed instead)', params: idParams },
    },
    async (request, reply) => {
      await deleteStore(request.serviceContext(), request.params.id);
      return reply.status(204).send();
    },
  );

  // ---- closures ----
  app.get(
    '/api/store-health/closures',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Holidays and closed days (storeId also lists the organization-wide ones)',
        querystring: listClosuresQuery,
        response: { 200: pageSchema(closureSchema), ...errorResponses },
      },
    },
    async (request) => listClosures(request.serviceContext(), request.query),
  );
  app.post(
    '/api/store-health/closures',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Close one store, or every store (no storeId), on a date',
        body: closureInput,
        response: { 201: closureSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createClosure(request.serviceContext(), request.body)),
  );
  app.delete('/api/store-health/closures/:id', { config: { access: 'manager' }, schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteClosure(request.serviceContext(), request.params.id);
    return reply.status(204).send();
  });
}
