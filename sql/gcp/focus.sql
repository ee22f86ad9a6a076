-- Google Cloud Billing export to BigQuery -> FOCUS, over the flat canonical columns
-- (sql/gcp/billing_columns.csv: service_id for service.id, ...) that read_gcp_billing returns
-- nested again; focus_sql('gcp') derives them from the nested columns in a subquery.
--
-- One output row per export row, so row counts reconcile 1:1. GCP nets credits (sustained and
-- committed use discounts, free tier, promotions) into the row they apply to: they are summed
-- into credits_total and kept whole in x_Credits. Lookup tables: services (service.description
-- -> FOCUS 1.2 category), units (usage units -> FOCUS UnitFormat).
SELECT
    -- What the row costs after its credits (credits are negative amounts).
    cost + coalesce(credits_total, 0) AS BilledCost,
    -- Limitation: committed use discounts are not amortised (the export carries the CUD fee
    -- and the CUD credits on separate rows, with no link this reader could amortise by), so
    -- EffectiveCost equals BilledCost, as in Google's own FOCUS view.
    cost + coalesce(credits_total, 0) AS EffectiveCost,
    -- List-price cost where the export has it (cost_at_list, exported since mid 2023); older
    -- rows fall back to cost before credits, the closest known value (documented limitation).
    coalesce(cost_at_list, cost) AS ListCost,
    -- cost is at the account's negotiated (contracted) price, before credits.
    cost AS ContractedCost,
    price_effective_price AS ContractedUnitPrice,

    CASE WHEN cost_type = 'regular' THEN usage_amount_in_pricing_units END AS PricingQuantity,
    CASE WHEN cost_type = 'regular' AND usage_amount_in_pricing_units IS NOT NULL
         THEN coalesce(lookup('units', usage_pricing_unit, 'focus_unit'), usage_pricing_unit) END AS PricingUnit,
    CASE WHEN cost_type = 'regular' THEN usage_amount END AS ConsumedQuantity,
    CASE WHEN cost_type = 'regular' AND usage_amount IS NOT NULL
         THEN coalesce(lookup('units', usage_unit, 'focus_unit'), usage_unit) END AS ConsumedUnit,

    -- cost_type in FOCUS casing; rounding errors and anything newer are adjustments.
    CASE cost_type
        WHEN 'regular' THEN 'Usage'
        WHEN 'tax' THEN 'Tax'
        ELSE 'Adjustment'
    END AS ChargeCategory,
    -- Adjustments correct charges of earlier invoices (adjustment_info says which).
    CASE WHEN cost_type = 'adjustment' OR adjustment_info_id IS NOT NULL THEN 'Correction' END AS ChargeClass,
    CASE WHEN cost_type = 'regular' THEN 'Usage-Based' ELSE 'One-Time' END AS ChargeFrequency,
    coalesce(sku_description, adjustment_info_description, cost_type) AS ChargeDescription,
    usage_start_time AS ChargePeriodStart,
    usage_end_time AS ChargePeriodEnd,
    -- The invoice month (YYYYMM) as UTC instants, exclusive end. (Google's invoice months run
    -- on Pacific time; the spec asks for UTC, and month boundaries are kept as written.)
    month_start(invoice_month) AS BillingPeriodStart,
    month_end(invoice_month) AS BillingPeriodEnd,

    CASE WHEN cost_type = 'regular' THEN 'Standard' END AS PricingCategory,
    CASE WHEN cost_type = 'regular' THEN currency END AS PricingCurrency,

    billing_account_id AS BillingAccountId,
    -- The export carries no account name; FOCUS requires one wherever there is an id.
    billing_account_id AS BillingAccountName,
    'Billing Account' AS BillingAccountType,
    currency AS BillingCurrency,
    project_id AS SubAccountId,
    coalesce(project_name, project_id) AS SubAccountName,
    CASE WHEN project_id IS NOT NULL THEN 'Project' END AS SubAccountType,
    CAST(NULL AS VARCHAR) AS InvoiceId,
    'Google Cloud' AS InvoiceIssuerName,
    'Google Cloud' AS ProviderName,
    -- Marketplace rows name their seller.
    coalesce(seller_name, 'Google Cloud') AS PublisherName,
    coalesce(seller_name, 'Google Cloud') AS ServiceProviderName,
    'Google Cloud' AS HostProviderName,

    location_zone AS AvailabilityZone,
    location_region AS RegionId,
    -- No region display names in the export: the id stands in.
    location_region AS RegionName,
    -- Detailed export only: the full resource name identifies the resource.
    resource_global_name AS ResourceId,
    coalesce(resource_name, resource_global_name) AS ResourceName,
    CASE WHEN resource_global_name IS NOT NULL
         THEN coalesce(nullif(regexp_extract(resource_global_name, '/([A-Za-z]+)/[^/]+$', 1), ''), service_description) END AS ResourceType,

    service_description AS ServiceName,
    coalesce(lookup('services', service_description, 'service_category'), 'Other') AS ServiceCategory,
    coalesce(lookup('services', service_description, 'service_subcategory'), 'Other (Other)') AS ServiceSubcategory,
    sku_id AS SkuId,
    sku_id AS SkuPriceId,
    sku_description AS SkuMeter,

    -- User labels as written; Google's system labels and the project's labels are kept apart
    -- by the prefixes `system:` and `project:` (GCP label keys cannot contain ':', so the
    -- prefixed keys never collide with a user label).
    map_json(labels, map_with_prefix(system_labels, 'system:'), map_with_prefix(project_labels, 'project:')) AS Tags,

    -- GCP detail FOCUS has no column for.
    -- Every credit as JSON text, exactly CAST(to_json(credits) AS VARCHAR) of the nested column
    -- (fields in Google's order, amounts with all 18 decimals).
    credits AS x_Credits,
    credits_total AS x_CreditsTotal,
    cost AS x_Cost,
    cost_type AS x_CostType,
    currency_conversion_rate AS x_CurrencyConversionRate,
    export_time AS x_ExportTime,
    invoice_month AS x_InvoiceMonth,
    service_id AS x_ServiceId,
    project_number AS x_ProjectNumber,
    location_location AS x_Location,
    usage_amount AS x_UsageAmount,
    usage_unit AS x_UsageUnit
FROM gcp
