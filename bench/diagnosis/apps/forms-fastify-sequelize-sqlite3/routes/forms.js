'use strict';

const service = require('../services/submissionService');

const idParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
};

async function formRoutes(fastify) {
  fastify.get('/forms/:id', { schema: { params: idParams } }, async (request) => {
    return service.getForm(request.params.id);
  });

  fastify.get(
    '/forms/:id/submissions',
    {
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
      },
    },
    async (request) => service.listSubmissions(request.params.id, request.query)
  );

  fastify.get('/forms/:id/submissions/export', { schema: { params: idParams } }, async (request, reply) => {
    const { filename, csv } = await service.exportSubmissionsCsv(request.params.id);
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`);
    return csv;
  });
}

module.exports = formRoutes;
