-- Oracle Cloud Infrastructure cost and usage reports (canonical columns, as read_oci_cost
-- returns them) -> FOCUS.
--
-- One output row per report line, so row counts reconcile 1:1. OCI reports carry only usage
-- lines (no tax, purchase or credit lines); a correction is an extra usage line with
-- lineItem/isCorrection = true pointing at the corrected line (lineItem/backreferenceNo).
-- Usage reports (reports/usage-csv) have no cost columns: their cost columns are NULL here.
-- Lookup tables: services (product/service -> name and FOCUS 1.2 category), units
-- (cost/billingUnitReadable -> FOCUS UnitFormat), regions (region id -> name).
SELECT
    -- What the line adds to an invoice. Under a commitment (Universal Credits) usage draws down
    -- prepaid credit and only the part beyond it is invoiced: cost/myCostOverage. Lines fully
    -- inside the commitment leave it empty, so they bill 0. Pay-as-you-go lines are all overage
    -- (cost/overageFlag = Y, myCostOverage = myCost).
    CASE WHEN cost_my_cost IS NOT NULL OR cost_my_cost_overage IS NOT NULL THEN coalesce(cost_my_cost_overage, 0) END AS BilledCost,

    -- Decision: the amortised view of a line is its cost at the contracted price whether it is
    -- paid from the commitment or invoiced as overage (cost/myCost): the commitment's prepaid
    -- amount is consumed in exactly these amounts. Unused commitment is not in the reports, so
    -- it cannot be shown (limitation).
    cost_my_cost AS EffectiveCost,

    -- OCI reports carry no list (public) price; the contracted cost is the closest known value
    -- and is used so ListCost is never NULL (limitation: list-price savings read as 0).
    cost_my_cost AS ListCost,
    cost_my_cost AS ContractedCost,
    cost_unit_price AS ContractedUnitPrice,
    CAST(NULL AS DECIMAL) AS ListUnitPrice,

    -- Billed quantity in the SKU's billing unit (cost/billingUnitReadable), spelled in FOCUS
    -- UnitFormat by sql/oci/units.csv; units it does not list keep Oracle's text.
    CASE WHEN cost_billing_unit_readable IS NOT NULL THEN usage_billed_quantity END AS PricingQuantity,
    CASE WHEN usage_billed_quantity IS NOT NULL
         THEN coalesce(lookup('units', cost_billing_unit_readable, 'focus_unit'), cost_billing_unit_readable) END AS PricingUnit,
    -- Usage reports give the metered amount in its own unit (usage/consumedQuantity, e.g.
    -- GB_MS); cost reports only the billed quantity, which is the consumption in pricing units.
    coalesce(usage_consumed_quantity, CASE WHEN cost_billing_unit_readable IS NOT NULL THEN usage_billed_quantity END) AS ConsumedQuantity,
    CASE
        WHEN usage_consumed_quantity IS NOT NULL THEN usage_consumed_quantity_units
        WHEN usage_billed_quantity IS NOT NULL THEN coalesce(lookup('units', cost_billing_unit_readable, 'focus_unit'), cost_billing_unit_readable)
    END AS ConsumedUnit,

    'Usage' AS ChargeCategory,
    CASE WHEN line_item_is_correction THEN 'Correction' END AS ChargeClass,
    'Usage-Based' AS ChargeFrequency,
    coalesce(product_description, product_resource, product_service) AS ChargeDescription,
    line_item_interval_usage_start AS ChargePeriodStart,
    line_item_interval_usage_end AS ChargePeriodEnd,
    -- Oracle invoices calendar months (UTC): the month of the usage interval, exclusive end.
    month_start(line_item_interval_usage_start) AS BillingPeriodStart,
    month_end(line_item_interval_usage_start) AS BillingPeriodEnd,

    CASE WHEN cost_my_cost IS NOT NULL THEN 'Standard' END AS PricingCategory,

    -- The subscription is what is invoiced; usage reports lack it, so the tenancy stands in.
    coalesce(cost_subscription_id, line_item_tenant_id) AS BillingAccountId,
    -- Reports carry no names; FOCUS requires one wherever there is an id, so the id stands in.
    coalesce(cost_subscription_id, line_item_tenant_id) AS BillingAccountName,
    CASE WHEN cost_subscription_id IS NOT NULL THEN 'Subscription' ELSE 'Tenancy' END AS BillingAccountType,
    -- read_oci_cost fills the currency Oracle leaves empty on some zero-cost lines from the
    -- rest of the file.
    cost_currency_code AS BillingCurrency,
    line_item_tenant_id AS SubAccountId,
    line_item_tenant_id AS SubAccountName,
    'Tenancy' AS SubAccountType,
    CAST(NULL AS VARCHAR) AS InvoiceId,
    'Oracle' AS InvoiceIssuerName,
    'Oracle' AS ProviderName,
    'Oracle' AS PublisherName,
    'Oracle' AS ServiceProviderName,
    'Oracle' AS HostProviderName,

    product_availability_domain AS AvailabilityZone,
    product_region AS RegionId,
    CASE WHEN product_region IS NOT NULL THEN coalesce(lookup('regions', product_region, 'region_name'), product_region) END AS RegionName,
    product_resource_id AS ResourceId,
    product_resource_id AS ResourceName,
    -- An OCID names its resource type (ocid1.autonomousdatabase.oc1...); other ids (bucket
    -- names, internal meters) fall back to the service code.
    CASE
        WHEN product_resource_id IS NULL THEN CAST(NULL AS VARCHAR)
        ELSE coalesce(nullif(regexp_extract(product_resource_id, '^ocid1\.([a-z0-9_-]+)\.', 1), ''), lower(product_service))
    END AS ResourceType,

    coalesce(lookup('services', product_service, 'service_name'), product_service) AS ServiceName,
    coalesce(lookup('services', product_service, 'service_category'), 'Other') AS ServiceCategory,
    coalesce(lookup('services', product_service, 'service_subcategory'), 'Other (Other)') AS ServiceSubcategory,

    cost_product_sku AS SkuId,
    -- A part number has one price per subscription: the SKU qualified by the subscription.
    CASE WHEN cost_product_sku IS NOT NULL THEN coalesce(cost_subscription_id, line_item_tenant_id) || ':' || cost_product_sku END AS SkuPriceId,
    coalesce(product_description, product_resource) AS SkuMeter,

    -- Defined tags keep their namespace (`Oracle-Tags.CreatedBy`), free-form tags their key.
    map_json(tags) AS Tags,

    -- OCI detail FOCUS has no column for (names as in Oracle's own FOCUS reports, x_ prefixed).
    line_item_reference_no AS x_ReferenceNo,
    line_item_backreference_no AS x_BackReferenceNo,
    product_compartment_id AS x_CompartmentId,
    product_compartment_name AS x_CompartmentName,
    product_service AS x_ServiceCode,
    cost_overage_flag AS x_OverageFlag,
    cost_my_cost_overage AS x_CostOverage,
    cost_unit_price_overage AS x_UnitPriceOverage,
    usage_billed_quantity_overage AS x_BilledQuantityOverage,
    cost_billing_unit_readable AS x_BillingUnitReadable,
    cost_sku_unit_description AS x_SkuUnitDescription
FROM oci
